package io.trellis.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The dependency rules of docs/ARCHITECTURE.md over the main classes of every module (test classes
 * are not imported; this module depends on every module, test scope). {@code
 * ArchitectureFixtureTest} shows that each rule fails on a layout that breaks it.
 */
@AnalyzeClasses(packages = "io.trellis", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String ROOT = "io.trellis";

  @ArchTest
  static final ArchRule wasmbusDependsOnNoOtherModule =
      ArchitectureRules.wasmbusDependsOnNoOtherModule(ROOT);

  @ArchTest
  static final ArchRule latticeCacheDependsOnWasmbusOnly =
      ArchitectureRules.latticeCacheDependsOnWasmbusOnly(ROOT);

  @ArchTest
  static final ArchRule providersAndTheCtlClientNeverSeeTheHost =
      ArchitectureRules.providersAndTheCtlClientNeverSeeTheHost(ROOT);

  @ArchTest
  static final ArchRule theHostDependsOnNoClientOrProvider =
      ArchitectureRules.theHostDependsOnNoClientOrProvider(ROOT);

  @ArchTest
  static final ArchRule internalPackagesAreUsedOnlyBelowTheirParent =
      ArchitectureRules.internalPackagesAreUsedOnlyBelowTheirParent(ROOT);

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles = ArchitectureRules.packagesAreFreeOfCycles(ROOT);

  /**
   * The rules judge only what was imported: every package with main sources in the repository must
   * be among the imported classes (a new module needs a test dependency in this module).
   */
  @ArchTest
  static void everyMainPackageOfTheRepositoryIsChecked(JavaClasses classes) {
    Set<String> imported =
        classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
    Set<String> sources = mainSourcePackages(RepositoryFiles.root());
    Set<String> missing = new TreeSet<>(sources);
    missing.removeAll(imported);
    assertTrue(
        missing.isEmpty(),
        "main packages not on the conformance module's test class path (add the module as a"
            + " test dependency in conformance/pom.xml): "
            + missing);
    // A walk that found nothing would pass vacuously.
    assertTrue(sources.size() > 40, "only " + sources.size() + " main packages found");
  }

  /** Packages of the .java files under any {@code src/main/java}, except package-info only. */
  static Set<String> mainSourcePackages(Path root) {
    Set<String> packages = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(f -> f.getFileName().toString().endsWith(".java"))
          .filter(f -> !f.getFileName().toString().equals("package-info.java"))
          .map(root::relativize)
          .map(Path::toString)
          .filter(f -> !f.contains("/target/") && f.contains("/src/main/java/"))
          .forEach(
              f -> {
                String rel = f.substring(f.indexOf("/src/main/java/") + "/src/main/java/".length());
                packages.add(rel.substring(0, rel.lastIndexOf('/')).replace('/', '.'));
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return packages;
  }
}
