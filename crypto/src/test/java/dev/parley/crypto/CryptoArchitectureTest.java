package dev.parley.crypto;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * What crypto builds on: of the transport, only the keys and PeerIds it signs and names people with, never its
 * networking; nothing of the store or the app; and no two of its packages on each other.
 */
@AnalyzeClasses(packages = "dev.parley.crypto", importOptions = ImportOption.DoNotIncludeTests.class)
class CryptoArchitectureTest {
    @ArchTest
    static final ArchRule usesOnlyTheTransportsKeysAndIds = noClasses().should().dependOnClassesThat(
            resideInAPackage("dev.parley..").and(resideOutsideOfPackages("dev.parley.crypto..",
                    "dev.parley.transport.keys..", "dev.parley.transport.multiformats..")));

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.parley.(**)").should().beFreeOfCycles();
}
