/**
 * The lattice dashboard: a static page that talks to NATS over websockets (nats.ws, vendored at
 * build time), the small loopback HTTP server that serves it ({@link
 * io.trellis.dashboard.DashboardServer}), and the NATS websocket users and permissions the page
 * connects as ({@link io.trellis.dashboard.DashboardAccess}, PROTOCOL.md §17).
 */
@NullMarked
package io.trellis.dashboard;

import org.jspecify.annotations.NullMarked;
