package io.trellis.conformance;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;

/**
 * The dependency rules of docs/ARCHITECTURE.md as ArchUnit rules. Each takes the root package, so
 * the same rule runs against Trellis ({@code io.trellis}) and against the deliberately broken
 * fixture ({@code io.trellis.conformance.fixture}), which shows it can fail.
 *
 * <p>A module is identified by its package root: {@code <root>.wasmbus}, {@code .lattice}, {@code
 * .host}, {@code .ctl}, {@code .cli}, {@code .testkit}, {@code .bench}, and {@code
 * .provider.<name>} for the provider SDK, the provider testkit and each provider.
 */
final class ArchitectureRules {
  private ArchitectureRules() {}

  /** Every rule, for the fixture test. */
  static List<ArchRule> all(String root) {
    return List.of(
        wasmbusDependsOnNoOtherModule(root),
        latticeCacheDependsOnWasmbusOnly(root),
        providersAndTheCtlClientNeverSeeTheHost(root),
        theHostDependsOnNoClientOrProvider(root),
        internalPackagesAreUsedOnlyBelowTheirParent(root),
        packagesAreFreeOfCycles(root));
  }

  /** The protocol library everything else builds on uses nothing of Trellis but itself. */
  static ArchRule wasmbusDependsOnNoOtherModule(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".wasmbus..")
        .should()
        .dependOnClassesThat(
            resideInAPackage(root + "..").and(resideOutsideOfPackages(root + ".wasmbus..")))
        .because("wasmbus is the protocol library every other module builds on");
  }

  static ArchRule latticeCacheDependsOnWasmbusOnly(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".lattice..")
        .should()
        .dependOnClassesThat(
            resideInAPackage(root + "..")
                .and(resideOutsideOfPackages(root + ".lattice..", root + ".wasmbus..")))
        .because("lattice-cache is a view of the lattice bucket, built on wasmbus alone");
  }

  static ArchRule providersAndTheCtlClientNeverSeeTheHost(String root) {
    return noClasses()
        .that()
        .resideInAnyPackage(root + ".provider..", root + ".ctl..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(root + ".host..", root + ".lattice..", root + ".cli..")
        .because(
            "providers and the control-interface client talk to hosts over the lattice only, so"
                + " they run (and ship) without the host");
  }

  static ArchRule theHostDependsOnNoClientOrProvider(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".host..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(root + ".ctl..", root + ".cli..", root + ".provider..")
        .because(
            "dependencies point one way: the CLI uses the host and the client, and the host runs"
                + " providers as processes, not as code");
  }

  /**
   * A package {@code P.internal} (and its sub-packages) serves {@code P} and the packages below it
   * only: so no module uses another module's internals, and inside a module an internal package
   * stays with the code it was made for (as {@code host.runtime.internal} did for {@code
   * host.runtime}).
   */
  static ArchRule internalPackagesAreUsedOnlyBelowTheirParent(String root) {
    return classes()
        .that()
        .resideInAPackage(root + "..")
        .should(
            new ArchCondition<JavaClass>("use an internal package only from below its parent") {
              @Override
              public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                  String target = d.getTargetClass().getBaseComponentType().getPackageName();
                  String owner = internalOwner(target);
                  String from = origin.getPackageName();
                  if (owner != null && !from.equals(owner) && !from.startsWith(owner + ".")) {
                    events.add(
                        SimpleConditionEvent.violated(
                            d,
                            d.getDescription() + " (" + target + " is internal to " + owner + ")"));
                  }
                }
              }
            });
  }

  /** The package an internal package belongs to, or null when {@code pkg} is not internal. */
  static String internalOwner(String pkg) {
    // Dots around both, so "internal" matches only as a whole package name.
    int i = ("." + pkg + ".").indexOf(".internal.");
    return i < 0 ? null : pkg.substring(0, Math.max(0, i - 1));
  }

  /**
   * Every package is a slice: a cycle between any two packages, inside a module or across, fails. A
   * public package that creates its implementation while the implementation uses the public types
   * is such a cycle; keep them in one package (implementation package-private) instead.
   */
  static ArchRule packagesAreFreeOfCycles(String root) {
    return slices().matching(root + ".(**)").should().beFreeOfCycles();
  }
}
