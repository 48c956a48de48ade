package io.imagebuilder;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dependencies run one way, from the edges to the leaves, as docs/architecture.md draws them. A change that makes
 * a package reach back up, or two packages need each other, fails here with the offending classes named.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.imagebuilder");
        // an empty import would make every rule below pass without looking at anything
        assertThat(classes.stream().map(c -> c.getPackageName()).distinct().count()).isGreaterThan(20);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.imagebuilder.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void layersDependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("edges").definedBy("io.imagebuilder.cli..", "io.imagebuilder.server..")
                .layer("facade").definedBy("io.imagebuilder")
                .layer("image nodes").definedBy("io.imagebuilder.imagenode..")
                .layer("deploy").definedBy("io.imagebuilder.deploy..")
                .layer("plan").definedBy("io.imagebuilder.plan..")
                .layer("build").definedBy("io.imagebuilder.imagebuild..")
                .layer("tosca").definedBy("io.imagebuilder.tosca..")
                .layer("syntax").definedBy("io.imagebuilder.yaml..", "io.imagebuilder.problem..")
                .layer("base").definedBy("io.imagebuilder.exec..", "io.imagebuilder.util..",
                        "io.imagebuilder.secret..", "io.imagebuilder.ssh..")
                .whereLayer("edges").mayNotBeAccessedByAnyLayer()
                .whereLayer("facade").mayOnlyBeAccessedByLayers("edges")
                .whereLayer("image nodes").mayOnlyBeAccessedByLayers("facade", "edges")
                .whereLayer("deploy").mayOnlyBeAccessedByLayers("image nodes", "facade", "edges")
                .whereLayer("plan").mayOnlyBeAccessedByLayers("deploy", "image nodes", "facade", "edges")
                .whereLayer("build").mayOnlyBeAccessedByLayers("image nodes", "facade", "edges")
                .whereLayer("tosca").mayOnlyBeAccessedByLayers("plan", "deploy", "image nodes", "facade", "edges")
                .whereLayer("syntax").mayOnlyBeAccessedByLayers("tosca", "build", "plan", "deploy", "image nodes",
                        "facade", "edges")
                .check(classes);
    }

    @Test
    void theBuildPipelineWorksWithoutToscaAndTheToscaModelWithoutTheRuntime() {
        noClasses().that().resideInAPackage("io.imagebuilder.imagebuild..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imagebuilder.tosca..",
                        "io.imagebuilder.plan..", "io.imagebuilder.deploy..")
                .check(classes);
        noClasses().that().resideInAPackage("io.imagebuilder.tosca..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imagebuilder.plan..",
                        "io.imagebuilder.deploy..", "io.imagebuilder.imagebuild..", "io.imagebuilder.exec..")
                .check(classes);
    }

    @Test
    void theLoadingPhasesRunOnlyFromTheLoader() {
        classes().that().resideInAPackage("io.imagebuilder.tosca..").and().haveSimpleNameEndingWith("Phase")
                .should().onlyHaveDependentClassesThat(
                        nameMatching("io\\.imagebuilder\\.tosca\\.(ToscaLoader|.*Phase(\\$.*)?)"))
                .check(classes);
    }

    @Test
    void theServerAndTheCommandLineDoNotKnowEachOtherBackwards() {
        noClasses().that().resideInAPackage("io.imagebuilder.server..")
                .should().dependOnClassesThat().resideInAPackage("io.imagebuilder.cli..")
                .check(classes);
    }

    @Test
    void leavesStayLeaves() {
        noClasses().that().resideInAnyPackage("io.imagebuilder.exec..", "io.imagebuilder.util..",
                        "io.imagebuilder.secret..", "io.imagebuilder.ssh..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imagebuilder.yaml..",
                        "io.imagebuilder.problem..", "io.imagebuilder.tosca..", "io.imagebuilder.imagebuild..",
                        "io.imagebuilder.deploy..", "io.imagebuilder.plan..", "io.imagebuilder.server..",
                        "io.imagebuilder.cli..")
                .check(classes);
        noClasses().that().resideInAPackage("io.imagebuilder.problem..")
                .should().dependOnClassesThat().resideInAPackage("io.imagebuilder.yaml..")
                .check(classes);
    }
}
