package io.keyledger;

import io.keyledger.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;

/** Registers the real PostgreSQL and Kafka for every @QuarkusTest in the suite (one start for all). */
@QuarkusTestResource(RealServices.class)
public class RealServicesEverywhere {
}
