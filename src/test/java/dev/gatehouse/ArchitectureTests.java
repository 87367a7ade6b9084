package dev.gatehouse;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

/** The dependency directions of docs/architecture.md, held by the build. */
@AnalyzeClasses(packages = "dev.gatehouse", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    /**
     * The flow document → rules → store → reconcile → snapshot → data plane, one way only. Each layer names the
     * layers it may use; anything else (Spring, the JDK, Netty) is not a layer and is held by the rules below.
     */
    @ArchTest
    static final ArchRule layers = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("App")
            .definedBy("dev.gatehouse")
            .layer("Web")
            .definedBy("dev.gatehouse.gateway.web..")
            .layer("BackendHealth")
            .definedBy("dev.gatehouse.backendhealth..")
            .layer("Store")
            .definedBy("dev.gatehouse.gateway.store..")
            .layer("Operations")
            .definedBy("dev.gatehouse.gateway.operations..")
            .layer("Replicas")
            .definedBy("dev.gatehouse.gateway.replicas..")
            .layer("Rules")
            .definedBy("dev.gatehouse.gateway.rules..")
            .layer("Model")
            .definedBy("dev.gatehouse.gateway.model..")
            .layer("Reconcile")
            .definedBy("dev.gatehouse.reconcile..")
            .layer("Runtime")
            .definedBy("dev.gatehouse.runtime..")
            .layer("Observability")
            .definedBy("dev.gatehouse.observability..")
            .layer("DataPlane")
            .definedBy("dev.gatehouse.dataplane..")
            .layer("Security")
            .definedBy("dev.gatehouse.security..")
            .layer("Arm")
            .definedBy("dev.gatehouse.arm..")
            .layer("Cli")
            .definedBy("dev.gatehouse.cli..")
            .layer("Net")
            .definedBy("dev.gatehouse.net..")
            .layer("Dashboard")
            .definedBy("dev.gatehouse.dashboard..")
            .layer("OpenApi")
            .definedBy("dev.gatehouse.openapi..")
            .layer("Schema")
            .definedBy("dev.gatehouse.schema..")
            .whereLayer("Web")
            .mayOnlyAccessLayers("Store", "Operations", "Rules", "Model", "Arm")
            .whereLayer("BackendHealth")
            .mayOnlyAccessLayers("Store", "Model", "DataPlane", "Arm")
            .whereLayer("Store")
            .mayOnlyAccessLayers("Rules", "Operations", "Replicas", "Model", "Arm")
            .whereLayer("Operations")
            .mayOnlyAccessLayers("Model", "Arm")
            .whereLayer("Replicas")
            .mayOnlyAccessLayers("Model", "Arm")
            .whereLayer("Rules")
            .mayOnlyAccessLayers("Model", "Arm", "Net")
            .whereLayer("Model")
            .mayOnlyAccessLayers("Arm")
            .whereLayer("Reconcile")
            .mayOnlyAccessLayers("Store", "Rules", "Model", "DataPlane", "Arm")
            .whereLayer("Runtime")
            .mayOnlyAccessLayers("Observability", "DataPlane")
            .whereLayer("Observability")
            .mayOnlyAccessLayers("Reconcile", "DataPlane")
            .whereLayer("DataPlane")
            .mayOnlyAccessLayers("Net")
            .whereLayer("Security")
            .mayOnlyAccessLayers("Arm")
            .whereLayer("Arm")
            .mayNotAccessAnyLayer()
            .whereLayer("Cli")
            .mayNotAccessAnyLayer()
            .whereLayer("Net")
            .mayNotAccessAnyLayer()
            .whereLayer("Dashboard")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Dashboard")
            .mayOnlyAccessLayers("Store", "Operations", "Model", "DataPlane", "Observability", "Arm")
            .whereLayer("OpenApi")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("OpenApi")
            .mayNotAccessAnyLayer()
            .whereLayer("Schema")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Schema")
            .mayNotAccessAnyLayer()
            .because("a file's package says what it may touch (docs/architecture.md)");

    @ArchTest
    static final ArchRule dataPlaneSeesOnlySnapshots = noClasses()
            .that()
            .resideInAPackage("dev.gatehouse.dataplane..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.gatehouse.gateway..",
                    "dev.gatehouse.reconcile..",
                    "dev.gatehouse.arm..",
                    "org.springframework..",
                    "java.sql..",
                    "tools.jackson..")
            .because("the data plane runs snapshots, never table rows, documents or web types");

    @ArchTest
    static final ArchRule gatewayDoesNotKnowTheReconcilerOrDataPlane = noClasses()
            .that()
            .resideInAPackage("dev.gatehouse.gateway..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.gatehouse.reconcile..", "dev.gatehouse.dataplane..")
            .because("the document model triggers reconciliation through its own ReconcileTrigger interface");

    @ArchTest
    static final ArchRule armIsShared = noClasses()
            .that()
            .resideInAPackage("dev.gatehouse.arm..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.gatehouse.gateway..", "dev.gatehouse.reconcile..", "dev.gatehouse.dataplane..")
            .because("what every ARM resource shares cannot depend on one resource");

    @ArchTest
    static final ArchRule translatorIsPure = noClasses()
            .that()
            .haveSimpleName("SnapshotTranslator")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..", "java.sql..", "java.io..", "java.net..", "java.nio..", "io.netty..")
            .because("the translator is a pure function tested with golden files");

    @ArchTest
    static final ArchRule cliSpeaksOnlyTheRestApi = noClasses()
            .that()
            .resideInAPackage("dev.gatehouse.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.gatehouse.gateway..",
                    "dev.gatehouse.reconcile..",
                    "dev.gatehouse.dataplane..",
                    "dev.gatehouse.arm..",
                    "dev.gatehouse.backendhealth..",
                    "org.springframework..",
                    "java.sql..",
                    "io.netty..")
            .because("the CLI is a client of the documented REST API; what it does, a curl script can do");

    @ArchTest
    static final ArchRule onlyRowsClassesRunSql = noClasses()
            .that()
            .haveSimpleNameNotEndingWith("Rows")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.jdbc.core.simple..")
            .orShould()
            .dependOnClassesThat()
            .areAssignableTo(JdbcOperations.class)
            .orShould()
            .dependOnClassesThat()
            .areAssignableTo(NamedParameterJdbcOperations.class)
            .because("each table's SQL lives in one package-private *Rows class beside the service that owns it");

    @ArchTest
    static final ArchRule tableRowsStayInTheirPackage = classes()
            .that()
            .haveSimpleNameEndingWith("Row")
            .or()
            .haveSimpleNameEndingWith("Rows")
            .should()
            .notBePublic()
            .andShould()
            .resideInAnyPackage(
                    "dev.gatehouse.gateway.store", "dev.gatehouse.gateway.operations", "dev.gatehouse.gateway.replicas")
            .because("rows are the persistence edge: other packages use the public service of the table's owner");

    @ArchTest
    static final ArchRule securityKnowsNoDocuments = noClasses()
            .that()
            .resideInAPackage("dev.gatehouse.security..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.gatehouse.gateway..", "dev.gatehouse.reconcile..", "dev.gatehouse.dataplane..")
            .because("who may call the API is decided from the request alone");

    @ArchTest
    static final ArchRule theOpenApiDocumentIsGeneratedInTheTestsOnly = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springdoc..", "io.swagger.v3.core..", "io.swagger.v3.oas.models..")
            .because("springdoc and swagger-core generate openapi/openapi.json in the tests; the jar serves the "
                    + "committed file and carries only swagger's annotations (docs/decisions.md)");
}
