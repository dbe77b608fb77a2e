package io.trellis.provider.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.provider.sdk.InvalidLinkValueException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutePatternTest {
  static RoutePattern r(String text) {
    return RoutePattern.parse(text, "link value path");
  }

  static boolean matches(String route, String path) {
    return r(route).matches(RoutePattern.segmentsOf(path));
  }

  @Test
  void exactRoutesMatchTheirPathOnly() {
    assertTrue(matches("/v1/pages", "/v1/pages"));
    assertTrue(matches("/v1/pages", "/v1/pages/"), "a trailing slash is ignored");
    assertTrue(matches("/v1/pages/", "/v1/pages"));
    assertFalse(matches("/v1/pages", "/v1/pages/1"));
    assertFalse(matches("/v1/pages", "/v1"));
    assertFalse(matches("/v1/pages", "/v1/Pages"), "paths are case-sensitive");
    assertTrue(matches("/", "/"));
    assertFalse(matches("/", "/a"));
  }

  @Test
  void parametersMatchOneSegmentAndTheWildcardAnyRest() {
    assertTrue(matches("/v1/pages/:id", "/v1/pages/42"));
    assertFalse(matches("/v1/pages/:id", "/v1/pages"));
    assertFalse(matches("/v1/pages/:id", "/v1/pages/42/edit"));
    assertTrue(matches("/v1/pages/:id/edit", "/v1/pages/42/edit"));
    assertTrue(matches("/v1/pages/*", "/v1/pages"), "the prefix form includes the prefix itself");
    assertTrue(matches("/v1/pages/*", "/v1/pages/42/edit"));
    assertFalse(matches("/v1/pages/*", "/v1/pagesX"));
    assertTrue(matches("/*", "/"));
    assertTrue(matches("/*", "/anything/at/all"));
  }

  @Test
  void theMostSpecificRouteComesFirst() {
    List<String> expected =
        List.of(
            "/v1/pages/new",
            "/v1/pages/:id",
            "/v1/pages",
            "/v1/pages/*",
            "/v1/:kind/new",
            "/v1/*",
            "/:version/pages/*",
            "/*");
    List<RoutePattern> shuffled =
        new ArrayList<>(expected.stream().map(RoutePatternTest::r).toList());
    Collections.shuffle(shuffled, new Random(7));
    shuffled.sort(RoutePattern::specificity);
    // only routes that can match the same path have to be ordered; these all can, pairwise or
    // through /v1/pages/new, which every one of them matches except the exact /v1/pages ones
    assertEquals(expected, shuffled.stream().map(RoutePattern::text).toList());
  }

  @Test
  void routesThatNoPathTellsApartConflict() {
    assertTrue(r("/v1/pages/:id").conflictsWith(r("/v1/pages/:pageId")));
    assertTrue(r("/v1/pages/*").conflictsWith(r("/v1/pages/*/")));
    assertTrue(r("/v1/pages").conflictsWith(r("/v1/pages/")));
    assertFalse(r("/v1/pages").conflictsWith(r("/v1/pages/*")));
    assertFalse(r("/v1/pages/:id").conflictsWith(r("/v1/pages/*")));
    assertFalse(r("/v1/pages/*").conflictsWith(r("/v1/tables/*")));
  }

  @Test
  void badRoutesAreRefusedNamingTheRouteAndTheProblem() {
    assertEquals(
        "link value path='v1/pages' must start with '/' (a route looks like /v1/pages,"
            + " /v1/pages/:id or /v1/pages/*)",
        error("v1/pages"));
    assertTrue(error("/v1/*/pages").contains("'*' may only end a route"), error("/v1/*/pages"));
    assertTrue(error("/v1//pages").contains("empty segment"), error("/v1//pages"));
    assertTrue(error("/v1/:").contains("invalid parameter ':'"), error("/v1/:"));
    assertTrue(error("/v1/pa*ges").contains("'*' in the segment 'pa*ges'"), error("/v1/pa*ges"));
    assertTrue(error("/v1/pages?x=1").contains("'?'"), error("/v1/pages?x=1"));
    assertTrue(error("").contains("must start with '/'"));
  }

  static String error(String route) {
    return assertThrows(InvalidLinkValueException.class, () -> r(route)).getMessage();
  }
}
