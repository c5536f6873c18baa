package io.keyledger.events;

/** Something that happened, as stored in the event log. Implemented by each capability's sealed event family. */
public interface DomainEvent {
}
