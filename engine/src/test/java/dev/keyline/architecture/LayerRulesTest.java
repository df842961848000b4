package dev.keyline.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The engine's layers as shared/DESIGN.md orders them, lowest first: bundle, ledger → keys, ca → x509 → device,
 * lint → aws → job → cli. A package uses only packages below it (and {@code error}, {@code text} and {@code digest},
 * which every layer shares); only {@code job} is on Spring Batch and only {@code aws} on the AWS SDK, so the domain stays plain
 * Java; {@code cli} asks the job layer, never the ledger. Production classes only: tests may reach anywhere.
 */
class LayerRulesTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.keyline");

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("storage").definedBy("dev.keyline.bundle..", "dev.keyline.ledger..")
                .layer("key material").definedBy("dev.keyline.keys..", "dev.keyline.ca..")
                .layer("x509").definedBy("dev.keyline.x509..")
                .layer("rows").definedBy("dev.keyline.device..", "dev.keyline.lint..")
                .layer("aws").definedBy("dev.keyline.aws..")
                .layer("output").definedBy("dev.keyline.output..")
                .layer("job").definedBy("dev.keyline.job..")
                .layer("cli").definedBy("dev.keyline.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("job").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("output").mayOnlyBeAccessedByLayers("job", "cli")
                .whereLayer("aws").mayOnlyBeAccessedByLayers("job", "cli")
                .whereLayer("rows").mayOnlyBeAccessedByLayers("aws", "output", "job", "cli")
                .whereLayer("x509").mayOnlyBeAccessedByLayers("rows", "aws", "output", "job", "cli")
                .whereLayer("key material").mayOnlyBeAccessedByLayers("x509", "rows", "aws", "output", "job", "cli")
                .whereLayer("storage").mayOnlyBeAccessedByLayers("key material", "x509", "rows", "aws", "output", "job",
                        "cli");
        layers.check(ENGINE);
    }

    @Test
    void theSharedDigestsUseNoLayer() {
        noClasses().that().resideInAPackage("dev.keyline.digest..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.keyline.bundle..", "dev.keyline.ledger..", "dev.keyline.keys..", "dev.keyline.ca..",
                        "dev.keyline.x509..", "dev.keyline.device..", "dev.keyline.lint..", "dev.keyline.aws..",
                        "dev.keyline.output..", "dev.keyline.job..", "dev.keyline.cli..")
                .because("every layer uses it, down to storage; the key material layer tells it which provider to use")
                .check(ENGINE);
    }

    @Test
    void bundleAndLedgerDoNotUseEachOther() {
        noClasses().that().resideInAPackage("dev.keyline.bundle..").should().dependOnClassesThat()
                .resideInAPackage("dev.keyline.ledger..").check(ENGINE);
        noClasses().that().resideInAPackage("dev.keyline.ledger..").should().dependOnClassesThat()
                .resideInAPackage("dev.keyline.bundle..").check(ENGINE);
    }

    @Test
    void onlyTheJobLayerIsOnSpringBatch() {
        noClasses().that().resideOutsideOfPackage("dev.keyline.job..").should().dependOnClassesThat()
                .resideInAPackage("org.springframework.batch..")
                .because("the domain is plain Java; Spring Batch wiring lives in job").check(ENGINE);
    }

    @Test
    void onlyTheAwsLayerIsOnTheAwsSdk() {
        noClasses().that().resideOutsideOfPackage("dev.keyline.aws..").should().dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .because("AWS IoT calls go through the aws package's registrars").check(ENGINE);
    }

    @Test
    void theCommandLineAsksTheJobLayerNotTheLedger() {
        noClasses().that().resideInAPackage("dev.keyline.cli..").should().dependOnClassesThat()
                .resideInAPackage("dev.keyline.ledger..")
                .because("run state and counts come from the job layer, which owns the ledger").check(ENGINE);
    }

    @Test
    void deviceKeysUseNoPersistenceType() {
        noClasses().that().resideInAPackage("dev.keyline.keys..").should().dependOnClassesThat()
                .resideInAPackage("dev.keyline.ledger..")
                .because("where a key lives is a domain fact; the ledger stores it, it does not define it").check(ENGINE);
    }

    @Test
    void issuingOpensNoTokenItself() {
        noClasses().that().resideInAPackage("dev.keyline.x509..").should().dependOnClassesThat()
                .resideInAPackage("dev.keyline.hsm..")
                .because("a CA key in a token is reached through the CA key store").check(ENGINE);
    }
}
