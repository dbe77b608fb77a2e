package io.trellis.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Positive controls for {@link ArchitectureTest}: each rule, run against the deliberately broken
 * layout in {@code io.trellis.conformance.fixture}, reports the violation planted there. A rule
 * that passed here could not fail on the real code either.
 */
class ArchitectureFixtureTest {
  private static final String ROOT = "io.trellis.conformance.fixture";
  private static final JavaClasses FIXTURE = new ClassFileImporter().importPackages(ROOT);

  @Test
  void wasmbusUsingTheHostIsFound() {
    assertViolation(ArchitectureRules.wasmbusDependsOnNoOtherModule(ROOT), "wasmbus.Codec");
  }

  @Test
  void latticeCacheUsingTheHostIsFound() {
    assertViolation(ArchitectureRules.latticeCacheDependsOnWasmbusOnly(ROOT), "lattice.View");
  }

  @Test
  void aProviderOrTheCtlClientUsingHostOrLatticeIsFound() {
    ArchRule rule = ArchitectureRules.providersAndTheCtlClientNeverSeeTheHost(ROOT);
    assertViolation(rule, "provider.kv.KvProvider");
    assertViolation(rule, "ctl.Client");
  }

  @Test
  void theHostUsingTheCtlClientIsFound() {
    assertViolation(ArchitectureRules.theHostDependsOnNoClientOrProvider(ROOT), "host.Engine");
  }

  @Test
  void internalPackagesUsedFromOutsideAreFound() {
    ArchRule rule = ArchitectureRules.internalPackagesAreUsedOnlyBelowTheirParent(ROOT);
    // another module's internal package
    assertViolation(rule, "is internal to " + ROOT + ".wasmbus");
    // inside one module, from beside rather than below the package it serves
    assertViolation(rule, "is internal to " + ROOT + ".host.runtime");
  }

  @Test
  void aPackageCycleIsFound() {
    assertViolation(ArchitectureRules.packagesAreFreeOfCycles(ROOT), "host.actors.Supervisor");
  }

  @Test
  void everyRuleHasAFixtureViolation() {
    List<ArchRule> rules = ArchitectureRules.all(ROOT);
    assertEquals(6, rules.size());
    rules.forEach(r -> assertTrue(r.evaluate(FIXTURE).hasViolation(), r.getDescription()));
  }

  @Test
  void internalOwnerMatchesWholePackageNamesOnly() {
    assertEquals(
        "io.trellis.wasmbus", ArchitectureRules.internalOwner("io.trellis.wasmbus.internal"));
    assertEquals("a.b", ArchitectureRules.internalOwner("a.b.internal.deeper"));
    assertNull(ArchitectureRules.internalOwner("io.trellis.internals"));
    assertNull(ArchitectureRules.internalOwner("io.trellis.host"));
  }

  private static void assertViolation(ArchRule rule, String expected) {
    EvaluationResult result = rule.evaluate(FIXTURE);
    String report = String.join("\n", result.getFailureReport().getDetails());
    assertTrue(result.hasViolation(), rule.getDescription() + " found nothing");
    assertTrue(report.contains(expected), "expected '" + expected + "' in:\n" + report);
  }
}
