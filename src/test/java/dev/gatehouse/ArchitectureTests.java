package dev.gatehouse;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The dependency directions of docs/architecture.md, held by the build. */
@AnalyzeClasses(packages = "dev.gatehouse", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    @ArchTest
    static final ArchRule dataPlaneSeesOnlySnapshots = noClasses().that().resideInAPackage("dev.gatehouse.dataplane..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.gatehouse.gateway..", "dev.gatehouse.reconcile..",
                    "dev.gatehouse.arm..", "org.springframework..", "jakarta.persistence..", "tools.jackson..")
            .because("the data plane runs snapshots, never entities, documents or web types");

    @ArchTest
    static final ArchRule gatewayDoesNotKnowTheReconcilerOrDataPlane = noClasses().that()
            .resideInAPackage("dev.gatehouse.gateway..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.gatehouse.reconcile..", "dev.gatehouse.dataplane..")
            .because("the document model triggers reconciliation through its own ReconcileTrigger interface");

    @ArchTest
    static final ArchRule armIsShared = noClasses().that().resideInAPackage("dev.gatehouse.arm..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.gatehouse.gateway..", "dev.gatehouse.reconcile..",
                    "dev.gatehouse.dataplane..")
            .because("what every ARM resource shares cannot depend on one resource");

    @ArchTest
    static final ArchRule translatorIsPure = noClasses().that().haveSimpleName("SnapshotTranslator")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..",
                    "java.io..", "java.net..", "java.nio..", "io.netty..")
            .because("the translator is a pure function tested with golden files");

    @ArchTest
    static final ArchRule cliSpeaksOnlyTheRestApi = noClasses().that().resideInAPackage("dev.gatehouse.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.gatehouse.gateway..", "dev.gatehouse.reconcile..",
                    "dev.gatehouse.dataplane..", "dev.gatehouse.arm..", "dev.gatehouse.backendhealth..",
                    "org.springframework..", "jakarta.persistence..", "io.netty..")
            .because("the CLI is a client of the documented REST API; what it does, a curl script can do");

    @ArchTest
    static final ArchRule securityKnowsNoDocuments = noClasses().that().resideInAPackage("dev.gatehouse.security..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.gatehouse.gateway..", "dev.gatehouse.reconcile..",
                    "dev.gatehouse.dataplane..")
            .because("who may call the API is decided from the request alone");
}
