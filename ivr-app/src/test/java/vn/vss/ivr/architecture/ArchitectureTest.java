package vn.vss.ivr.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, by package: the call reads like the hotline's steps with no technology in
 * it, each technology sits in its own adapter, the adapters do not lean on each other, the audio
 * codec stands alone, and the simulated Asterisk and the benchmarks are reached only from the
 * command line.
 */
class ArchitectureTest {
    /** The command line: {@code Main} and its commands, in the root package only. */
    private static final String ENTRY_POINT = "vn.vss.ivr";

    private static final String HARNESS = "vn.vss.ivr.harness..";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("vn.vss.ivr");

    @Test
    void theCallImportsNoTechnologyAndNothingElseOfOurs() {
        classes()
                .that()
                .resideInAPackage("vn.vss.ivr.call..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("vn.vss.ivr.call..", "java..", "org.slf4j..")
                .check(CLASSES);
    }

    @Test
    void theAudioPackageDependsOnNothingElseOfOurs() {
        noClasses()
                .that()
                .resideInAPackage("vn.vss.ivr.audio..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("vn.vss.ivr.audio..", "java..", "javax..")
                .check(CLASSES);
    }

    @Test
    void adaptersDoNotDependOnEachOther() {
        slices().matching("vn.vss.ivr.adapter.(*)..")
                .should()
                .notDependOnEachOther()
                .check(CLASSES);
    }

    @Test
    void theHarnessIsUsedOnlyByTheEntryPoint() {
        noClasses()
                .that()
                .resideOutsideOfPackages(HARNESS, ENTRY_POINT)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(HARNESS)
                .check(CLASSES);
    }

    @Test
    void theHotlineDoesNotDependOnTheEntryPoint() {
        noClasses()
                .that()
                .resideOutsideOfPackages(HARNESS, ENTRY_POINT)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ENTRY_POINT)
                .check(CLASSES);
    }

    @Test
    void onlyTheEntryPointAndTheHarnessStartTheHotline() {
        noClasses()
                .that()
                .resideOutsideOfPackages("vn.vss.ivr.hotline..", HARNESS, ENTRY_POINT)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("vn.vss.ivr.hotline..")
                .check(CLASSES);
    }

    @Test
    void onlyTheAgiAndManagerAdaptersAndTheSimulatedAsteriskUseAsteriskJava() {
        noClasses()
                .that()
                .resideOutsideOfPackages("vn.vss.ivr.adapter.agi..", "vn.vss.ivr.adapter.ami..", HARNESS)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.asteriskjava..")
                .check(CLASSES);
    }

    @Test
    void onlyThePostgresAdapterUsesJooq() {
        noClasses()
                .that()
                .resideOutsideOfPackage("vn.vss.ivr.adapter.postgres..")
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
