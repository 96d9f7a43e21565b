package dev.transcript.command;

/** The whole-session scenario on the local PostgreSQL and an in-JVM KRaft broker. */
@LocalInfrastructure
class WholeSessionOnLocalInfrastructureIT extends WholeSessionScenario {
}
