package io.keyledger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package graph, enforced: one-way, read top-down (see docs/architecture.md).
 *
 * <pre>
 * api -> application -> serviceaccount (the aggregate: java.* only)
 *   \        \-> store, projection
 *    \-> auth -> projection, usage
 * relay -> store (api renders history with relay's published form);  projection -> store;  everything -> config, format
 * ledger (chain arithmetic: java.* and the JCS library) <- store, application, api, verify
 * verify (the standalone verifier jar) -> ledger only, with the Kafka client and Jackson
 * console (serves the browser console's files, headers and sign-in config): nothing imports it
 * </pre>
 */
class ArchitectureTest {

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.keyledger");

    @Test
    void packagesFormNoCycles() {
        slices().matching("io.keyledger.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theAggregateImportsOnlyTheJdk() {
        // javax.crypto is the JDK's own (java.base); the HMAC of key values needs it
        classes().that().resideInAPackage("io.keyledger.serviceaccount..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax.crypto..", "io.keyledger.serviceaccount..").check(MAIN);
    }

    @Test
    void theLedgerArithmeticImportsOnlyTheJdkAndJcs() {
        classes().that().resideInAPackage("io.keyledger.ledger..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "org.erdtman.jcs..", "io.keyledger.ledger..").check(MAIN);
    }

    @Test
    void theStandaloneVerifierNeedsNoService() {
        // the shaded keyledger-verify.jar holds only these packages and their libraries (pom.xml, maven-shade-plugin)
        classes().that().resideInAPackage("io.keyledger.verify..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.keyledger.ledger..", "io.keyledger.verify..", "org.apache.kafka..",
                        "com.fasterxml.jackson..")
                .check(MAIN);
    }

    @Test
    void layersPointDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers().layer("api").definedBy("io.keyledger.api..")
                .layer("application").definedBy("io.keyledger.application..").layer("auth")
                .definedBy("io.keyledger.auth..").layer("serviceaccount").definedBy("io.keyledger.serviceaccount..")
                .layer("store").definedBy("io.keyledger.store..").layer("events").definedBy("io.keyledger.events..")
                .layer("projection").definedBy("io.keyledger.projection..").layer("relay")
                .definedBy("io.keyledger.relay..").layer("usage").definedBy("io.keyledger.usage..").layer("verify")
                .definedBy("io.keyledger.verify..").layer("console").definedBy("io.keyledger.console..")
                .whereLayer("console").mayNotBeAccessedByAnyLayer().whereLayer("verify").mayNotBeAccessedByAnyLayer()
                .whereLayer("api").mayNotBeAccessedByAnyLayer().whereLayer("application")
                .mayOnlyBeAccessedByLayers("api").whereLayer("auth").mayOnlyBeAccessedByLayers("api")
                .whereLayer("relay").mayOnlyBeAccessedByLayers("api").whereLayer("projection")
                .mayOnlyBeAccessedByLayers("api", "application", "auth").whereLayer("store")
                .mayOnlyBeAccessedByLayers("api", "application", "projection", "relay").whereLayer("events")
                .mayOnlyBeAccessedByLayers("api", "application", "auth", "projection", "relay", "store")
                .whereLayer("usage").mayOnlyBeAccessedByLayers("auth").check(MAIN);
    }

    @Test
    void authDependsOnNothingAboveIt() {
        noClasses().that().resideInAPackage("io.keyledger.auth..").should().dependOnClassesThat()
                .resideInAnyPackage("io.keyledger.api..", "io.keyledger.application..", "io.keyledger.store..",
                        "io.keyledger.relay..")
                .check(MAIN);
    }

    @Test
    void nothingImportsTheApi() {
        noClasses().that().resideOutsideOfPackage("io.keyledger.api..").should().dependOnClassesThat()
                .resideInAPackage("io.keyledger.api..").check(MAIN);
    }
}
