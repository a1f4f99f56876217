package vn.vss.ivr.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The call reads like the hotline's steps: no technology in it, and each technology in its own adapter. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("vn.vss.ivr");

    @Test
    void theCallImportsNoAdapterAndNoTechnology() {
        noClasses()
                .that()
                .resideInAPackage("vn.vss.ivr.call..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "vn.vss.ivr.adapter..",
                        "org.asteriskjava..",
                        "org.jooq..",
                        "java.sql..",
                        "marytts..",
                        "io.micrometer..",
                        "org.bouncycastle..",
                        "org.vosk..")
                .check(CLASSES);
    }

    @Test
    void onlyTheAgiAdapterAndTheBenchmarkUseAsteriskJava() {
        noClasses()
                .that()
                .resideOutsideOfPackages("vn.vss.ivr.adapter.agi..")
                .and()
                .doNotHaveFullyQualifiedName("vn.vss.ivr.harness.KeypadBenchmark")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.asteriskjava..")
                .check(CLASSES);
    }

    @Test
    void onlyThePostgresAdapterAndReportsUseJooq() {
        noClasses()
                .that()
                .resideOutsideOfPackages("vn.vss.ivr.adapter.postgres..")
                .and()
                .doNotHaveFullyQualifiedName("vn.vss.ivr.ChargesReport")
                .and()
                .doNotHaveFullyQualifiedName("vn.vss.ivr.harness.KeypadBenchmark")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.jooq..")
                .check(CLASSES);
    }

    @Test
    void onlyTheVoskAdapterUsesVosk() {
        noClasses()
                .that()
                .resideOutsideOfPackage("vn.vss.ivr.adapter.vosk..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.vosk..")
                .check(CLASSES);
    }

    @Test
    void onlyTheMaryTtsAdapterUsesMaryTts() {
        noClasses()
                .that()
                .resideOutsideOfPackage("vn.vss.ivr.adapter.marytts..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("marytts..")
                .check(CLASSES);
    }
}
