package io.lockstep;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layer rules of docs/architecture.md, checked on the compiled main classes so they stay true.
 * Every rule holds outright: there is no frozen list of tolerated violations, so a change that breaks
 * a rule fails the build and must move code instead.
 */
@AnalyzeClasses(packages = "io.lockstep", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** HTTP is an edge: only the edge itself and the composition root that wires it may see it. */
    @ArchTest
    static final ArchRule onlyServerUsesHttp = noClasses()
            .that().resideOutsideOfPackages("io.lockstep.http..", "io.lockstep.server..")
            .should().dependOnClassesThat().resideInAPackage("io.lockstep.http..")
            .as("no class outside io.lockstep.http and io.lockstep.server depends on io.lockstep.http");

    /** Pure rules and values: no I/O and nothing of Lockstep outside the domain. */
    @ArchTest
    static final ArchRule domainStandsAlone = noClasses()
            .that().resideInAPackage("io.lockstep.domain..")
            .should().dependOnClassesThat(resideInAPackage("io.lockstep..")
                    .and(not(resideInAPackage("io.lockstep.domain.."))))
            .as("io.lockstep.domain depends on nothing of io.lockstep outside io.lockstep.domain");

    /** The OCI distribution client is a library: it knows registries, not Lockstep. */
    @ArchTest
    static final ArchRule ociStandsAlone = noClasses()
            .that().resideInAPackage("io.lockstep.oci..")
            .should().dependOnClassesThat(resideInAPackage("io.lockstep..")
                    .and(not(resideInAPackage("io.lockstep.oci.."))))
            .as("io.lockstep.oci depends on nothing of io.lockstep outside io.lockstep.oci");
    /** One JSON codec package for server and CLI: it knows the domain values and nothing else of Lockstep. */
    @ArchTest
    static final ArchRule wireKnowsOnlyTheDomain = noClasses()
            .that().resideInAPackage("io.lockstep.wire..")
            .should().dependOnClassesThat(resideInAPackage("io.lockstep..")
                    .and(not(resideInAnyPackage("io.lockstep.domain..", "io.lockstep.wire.."))))
            .as("io.lockstep.wire depends on nothing of io.lockstep outside io.lockstep.domain");

    /**
     * The CLI is a client of the HTTP API: it reads answers with {@code wire} and runs pure rules from
     * {@code domain}, never the server's routes, use cases or store (serve and demo start a server).
     */
    @ArchTest
    static final ArchRule cliIsAClientOfTheApi = noClasses()
            .that().resideInAPackage("io.lockstep.cli..")
            .and().doNotHaveSimpleName("ServeCommand").and().doNotHaveSimpleName("DemoCommand")
            .should().dependOnClassesThat().resideInAnyPackage("io.lockstep.http..", "io.lockstep.service..",
                    "io.lockstep.store..")
            .as("the CLI (but serve and demo) depends on no server-side package");

    /** Dependencies point one way between top-level packages (io.lockstep.X and everything under it). */
    @ArchTest
    static final ArchRule noCyclesBetweenTopLevelPackages = slices()
            .matching("io.lockstep.(*)..")
            .should().beFreeOfCycles()
            .as("top-level packages of io.lockstep are free of cycles");

    /** ... and between every package, so a resource inside a layer (service/registry) cannot loop back either. */
    @ArchTest
    static final ArchRule noCyclesBetweenAnyPackages = slices()
            .matching("io.lockstep.(**)")
            .should().beFreeOfCycles()
            .as("no two packages of io.lockstep depend on each other");

    /**
     * Layer first: the layers below the edges (use cases, SQL, rules, JSON, YAML, tokens, meters, the
     * OCI library) never see an edge (HTTP, the CLI, the composition root).
     */
    @ArchTest
    static final ArchRule innerLayersNeverSeeTheEdges = noClasses()
            .that().resideInAnyPackage("io.lockstep.domain..", "io.lockstep.wire..", "io.lockstep.oci..",
                    "io.lockstep.store..", "io.lockstep.service..", "io.lockstep.config..", "io.lockstep.auth..",
                    "io.lockstep.metrics..")
            .should().dependOnClassesThat().resideInAnyPackage("io.lockstep.http..", "io.lockstep.cli..",
                    "io.lockstep.server..")
            .as("no inner layer depends on io.lockstep.http, io.lockstep.cli or io.lockstep.server");

    /** SQL sits under the use cases: the store persists values and knows no use case, route or config. */
    @ArchTest
    static final ArchRule storeKnowsNoUseCase = noClasses()
            .that().resideInAPackage("io.lockstep.store..")
            .should().dependOnClassesThat().resideInAnyPackage("io.lockstep.service..", "io.lockstep.config..",
                    "io.lockstep.wire..")
            .as("io.lockstep.store depends on no use case, codec or configuration");
}
