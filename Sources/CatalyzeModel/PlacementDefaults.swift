/// The documented placement defaults (`man catalyze-manifest`, SCHEDULING; `PLACEMENT.md`), in one
/// place: the manifest loader fills an absent `scheduling` key with them, the scheduler's
/// `PlacementPolicy` defaults to them, and the `init` starter writes them out. They used to be
/// written in each of those and had to agree by hand.
public enum PlacementDefaults {
    /// Bid weight of CPU headroom (`1 − cpu%/100`).
    public static let cpuWeight = 0.3
    /// Bid weight of memory headroom (`1 − mem%/100`).
    public static let memoryWeight = 0.3
    /// Bid weight of the share of vCPUs left free after placing.
    public static let freeVCPUWeight = 0.2
    /// Bid weight of the share of memory left free after placing. The four weights sum to 1, so a
    /// bid lies in 0…1.
    public static let freeMemoryWeight = 0.2
    /// Minimum CPU headroom, percent (no host above 90 % CPU).
    public static let cpuHeadroomPercent = 10.0
    /// Minimum memory headroom, percent.
    public static let memoryHeadroomPercent = 10.0
    /// Minimum share of vCPUs left free after placing, percent.
    public static let freeVCPUPercent = 0.0
    /// Minimum share of memory left free after placing, percent.
    public static let freeMemoryPercent = 0.0
    /// Bid penalty per sibling already on a host, with `antiAffinity: preferred`.
    public static let preferredPenalty = 0.5
    /// Metrics older than this (seconds) make a host ineligible.
    public static let maxMetricAgeSeconds = 600
}
