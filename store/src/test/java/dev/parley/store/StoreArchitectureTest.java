package dev.parley.store;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The store depends on no other Parley module (README.md: ids are plain strings), and export builds on the store,
 * not the other way round.
 */
@AnalyzeClasses(packages = "dev.parley.store", importOptions = ImportOption.DoNotIncludeTests.class)
class StoreArchitectureTest {
    @ArchTest
    static final ArchRule usesNoOtherParleyModule = noClasses().should().dependOnClassesThat(
            resideInAPackage("dev.parley..").and(resideOutsideOfPackage("dev.parley.store..")));

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.parley.(**)").should().beFreeOfCycles();
}
