import {
  Activity,
  Download,
  FolderCheck,
  HardDrive,
  Package,
  Plug,
  Search,
  Settings,
  type LucideIcon,
} from "lucide-react";

/** The navigation, in order, with the labels architecture §8 pins. Each page has its own URL. */
export interface NavEntry {
  readonly path: string;
  readonly label: string;
  readonly icon: LucideIcon;
}

export const NAV: readonly NavEntry[] = [
  { path: "/browse", label: "Browse", icon: Search },
  { path: "/projects", label: "Projects", icon: FolderCheck },
  { path: "/downloads", label: "Downloads", icon: Download },
  { path: "/mirror", label: "Mirror", icon: HardDrive },
  { path: "/bundles", label: "Bundles", icon: Package },
  { path: "/connect", label: "Connect", icon: Plug },
  { path: "/settings", label: "Settings", icon: Settings },
  { path: "/activity", label: "Activity", icon: Activity },
];
