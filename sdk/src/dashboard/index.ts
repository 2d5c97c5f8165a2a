// The live dashboard: `clockwork dashboard` and `clockwork dev` serve it with serveDashboard().
export { serveDashboard, startDashboardServer, DashboardPortError, DEFAULT_DASHBOARD_PORT, type DashboardServer, type ServeDashboardOptions } from './serve-dashboard.ts';
export { DashboardAssetsMissingError } from './assets.ts';
export type { DashboardSnapshot, StackView, ResourceView, ResourceState, EdgeView, CompositeView, AssertionView, CheckPoint, TimelineEntry } from './dashboard-model.ts';
export type { DashboardSource, SourceListener, SourceUpdate, DashboardScope } from './sources/source.ts';
export type { ReadLogs } from './log-stream.ts';
export { Timeline } from './timeline.ts';
