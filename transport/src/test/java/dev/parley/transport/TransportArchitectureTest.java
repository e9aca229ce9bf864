package dev.parley.transport;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.regex.Pattern;

/**
 * How the transport's packages depend on each other (README.md, "Packages"): on nothing of the modules built
 * on it, the building blocks under the host on nothing above them, and no two packages on each other.
 */
@AnalyzeClasses(packages = "dev.parley.transport",
        importOptions = {ImportOption.DoNotIncludeTests.class, TransportArchitectureTest.NoTestJars.class})
class TransportArchitectureTest {
    /**
     * Leaves out the peer module's test classes, which a full build puts on the class path as its test jar (a
     * reactor build of one module gives their folder instead, which {@link ImportOption.DoNotIncludeTests} knows).
     */
    static final class NoTestJars implements ImportOption {
        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

        @Override
        public boolean includes(Location location) {
            return !location.matches(TEST_JAR);
        }
    }

    /**
     * Codecs and state machines the host is made of, each tested alone with no host and no sockets, and the
     * interfaces its transports implement.
     */
    private static final String[] BUILDING_BLOCKS = {
        "dev.parley.transport.multiformats..", "dev.parley.transport.keys..", "dev.parley.transport.memory..",
        "dev.parley.transport.noise..", "dev.parley.transport.yamux..", "dev.parley.transport.dns..",
        "dev.parley.transport.framing..", "dev.parley.transport.spi..",
    };

    @ArchTest
    static final ArchRule usesNoModuleBuiltOnIt = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("dev.parley.crypto..", "dev.parley.store..", "dev.parley.app..");

    @ArchTest
    static final ArchRule buildingBlocksKnowNothingOfTheHostOrItsProtocols = classes()
            .that().resideInAnyPackage(BUILDING_BLOCKS)
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.parley.transport..")
                    .or(resideInAnyPackage(BUILDING_BLOCKS)));

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.parley.(**)").should().beFreeOfCycles();
}
