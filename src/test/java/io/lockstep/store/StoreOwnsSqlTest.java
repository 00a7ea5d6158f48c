package io.lockstep.store;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

/**
 * SQL lives in {@code io.lockstep.store}, one SQL object per table: nothing else reaches the
 * database, and the store offers no handle to reach around it with.
 */
@AnalyzeClasses(packages = "io.lockstep", importOptions = ImportOption.DoNotIncludeTests.class)
class StoreOwnsSqlTest {

    @ArchTest
    static final ArchRule onlyTheStoreTalksToTheDatabase = noClasses()
            .that().resideOutsideOfPackage("io.lockstep.store..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..", "com.zaxxer..",
                    "org.flywaydb..")
            .as("only io.lockstep.store uses JDBI, JDBC, the pool or migrations");

    @ArchTest
    static final ArchRule theStoreHandsOutNoJdbi = noMethods()
            .that().areDeclaredInClassesThat().resideInAPackage("io.lockstep.store..").and().arePublic()
            .should().haveRawReturnType(org.jdbi.v3.core.Jdbi.class)
            .orShould().haveRawReturnType(org.jdbi.v3.core.Handle.class)
            .as("no public store method hands out a Jdbi or a Handle");
}
