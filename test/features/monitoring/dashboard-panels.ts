/** The parts of a rendered Grafana dashboard the tests read. */
export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: Array<{ refId: string; expr: string; datasource: { uid: string } }>;
}

export function dashboardPanels(text: string): DashboardPanel[] {
  return (JSON.parse(text) as { panels: DashboardPanel[] }).panels;
}

