import CatalyzeModel

/// How a manifest's `backup.interval` and `backup.retention` become what a cloud can schedule.
///
/// Both clouds schedule backups on a fixed grid, so the manifest's values are rounded before they
/// become a `backup_plan`'s attributes (the plan shows the rounded value, and refresh reads the same
/// value back, so there is no perpetual drift):
/// - `interval` rounds *down* to the next value of `intervals` (1, 2, 3, 4, 6, 8 or 12 hours, daily,
///   weekly): backups are never taken less often than asked.
/// - `retention` rounds *up* to whole days on AWS (`Lifecycle.DeleteAfterDays`, at least 1), and to
///   the next value Rackspace Cloud Backup allows (`VersionRetention` 30 or 60 days, or 0 = keep
///   forever): backups are never kept for less time than asked.
public enum BackupSchedule {
    /// The intervals (hours) both clouds can schedule: hourly steps that divide a day, daily, weekly.
    public static let intervals = [1, 2, 3, 4, 6, 8, 12, 24, 168]

    /// The largest schedulable interval (hours) not longer than `seconds` (at least 1 hour).
    public static func intervalHours(seconds: Int) -> Int {
        let hours = max(1, seconds / 3_600)
        return intervals.last { $0 <= hours } ?? 1
    }

    /// The retention in days `provider` keeps backups for, given the manifest's retention in seconds
    /// (`CloudCapabilities.backupRetentionDays`). AWS: whole days, rounded up, at least 1.
    /// Rackspace: 30, 60 or 0 (forever), the first ≥ asked.
    public static func retentionDays(seconds: Int, provider: Provider) -> Int {
        provider.capabilities.backupRetentionDays(seconds: seconds)
    }
}
