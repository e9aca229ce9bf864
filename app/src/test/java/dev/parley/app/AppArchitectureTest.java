package dev.parley.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The app's packages as README.md draws them: each uses only those below it, the node and the profile know
 * nothing of each other, nothing under the window and the command line touches Swing or picocli, and no two
 * packages use each other.
 */
@AnalyzeClasses(packages = "dev.parley.app", importOptions = ImportOption.DoNotIncludeTests.class)
class AppArchitectureTest {
    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Main").definedBy("dev.parley.app")
            .layer("Command line").definedBy("dev.parley.app.cli..")
            .layer("Window").definedBy("dev.parley.app.ui..")
            .layer("History").definedBy("dev.parley.app.history..")
            .layer("Engine").definedBy("dev.parley.app.engine..")
            .layer("Mailbox").definedBy("dev.parley.app.mailbox..")
            .layer("Node").definedBy("dev.parley.app.node..")
            .layer("Profile").definedBy("dev.parley.app.profile..")
            .whereLayer("Main").mayNotBeAccessedByAnyLayer()
            .whereLayer("Command line").mayOnlyBeAccessedByLayers("Main")
            .whereLayer("Window").mayOnlyBeAccessedByLayers("Command line")
            .whereLayer("History").mayOnlyBeAccessedByLayers("Command line", "Window")
            .whereLayer("Engine").mayOnlyBeAccessedByLayers("Command line", "Window", "History")
            .whereLayer("Mailbox").mayOnlyBeAccessedByLayers("Command line", "Window", "Engine")
            .whereLayer("Node").mayOnlyBeAccessedByLayers("Command line", "Window", "Engine", "Mailbox")
            .whereLayer("Profile").mayOnlyBeAccessedByLayers("Command line", "Window", "History", "Engine")
            .ensureAllClassesAreContainedInArchitecture();

    @ArchTest
    static final ArchRule onlyTheWindowAndTheCommandLineFaceTheUser = noClasses()
            .that().resideInAnyPackage("dev.parley.app.history..", "dev.parley.app.engine..",
                    "dev.parley.app.node..", "dev.parley.app.profile..", "dev.parley.app.mailbox..")
            .and().resideOutsideOfPackage("dev.parley.app.engine.files")
            .should().dependOnClassesThat().resideInAnyPackage("javax.swing..", "java.awt..", "com.formdev..",
                    "picocli..");

    /**
     * The engine's files decode pictures (thumbnails, bounded decoding), which Java does in java.awt.image and
     * Graphics2D, headless: that much of AWT, and nothing of a window.
     */
    @ArchTest
    static final ArchRule filesDecodePicturesButShowNothing = noClasses()
            .that().resideInAPackage("dev.parley.app.engine.files")
            .should().dependOnClassesThat().resideInAnyPackage("javax.swing..", "com.formdev..", "picocli..",
                    "java.awt.event..", "java.awt.dnd..", "java.awt.datatransfer..");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.parley.(**)").should().beFreeOfCycles();
}
