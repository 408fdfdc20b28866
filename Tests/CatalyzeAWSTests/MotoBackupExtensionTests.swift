import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

/// catalyze's moto extension (Tests/Peers/run_moto.py): AWS Backup selections and UpdateBackupPlan,
/// which moto 5.2.1 lacks, answering as the AWS Backup API reference says.
@Suite struct MotoBackupExtensionTests {
    @Test func selectionsAndPlanUpdatesBehaveAsAWSBackupDocumentsThem() async throws {
        let client = try MotoFixture().driver.client
        let region = "eu-west-1"
        func call(_ action: String, _ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
            try await client.rest(.backup, action, method: method, path: path, region: region, body)
        }
        let rule: [String: Any] = ["RuleName": "r", "TargetBackupVaultName": "v", "ScheduleExpression": "cron(0 5 ? * * *)"]
        let plan = try await call("CreateBackupPlan", "PUT", "/backup/plans/", ["BackupPlan": ["BackupPlanName": "p", "Rules": [rule]]])
        let planID = try #require(plan["BackupPlanId"] as? String)
        let selections = "/backup/plans/\(planID)/selections/"
        let body: [String: Any] = [
            "BackupSelection": ["SelectionName": "s", "IamRoleArn": "arn:aws:iam::123456789012:role/r", "Resources": ["arn:aws:ec2:*:*:volume/*"]],
            "CreatorRequestId": "once",
        ]
        let selection = try await call("CreateBackupSelection", "PUT", selections, body)
        let selectionID = try #require(selection["SelectionId"] as? String)
        #expect(try await call("CreateBackupSelection", "PUT", selections, body)["SelectionId"] as? String == selectionID,
                "the same CreatorRequestId answers the first selection")
        let listed = try await call("ListBackupSelections", "GET", selections)["BackupSelectionsList"] as? [[String: Any]]
        #expect(listed?.count == 1 && listed?.first?["SelectionName"] as? String == "s")
        let shown = try await call("GetBackupSelection", "GET", selections + selectionID)
        #expect((shown["BackupSelection"] as? [String: Any])?["IamRoleArn"] as? String == "arn:aws:iam::123456789012:role/r")
        do {
            _ = try await call("CreateBackupSelection", "PUT", selections, ["BackupSelection": ["SelectionName": "no-role"]])
            Issue.record("a selection needs IamRoleArn")
        } catch let error as DriverError { #expect(error.description.contains("InvalidParameterValueException")) }
        do {
            _ = try await call("DeleteBackupPlan", "DELETE", "/backup/plans/\(planID)")
            Issue.record("a plan with selections cannot be deleted")
        } catch let error as DriverError { #expect(error.description.contains("InvalidRequestException")) }

        var hourly = rule
        hourly["ScheduleExpression"] = "cron(0 0/6 * * ? *)"
        let updated = try await call("UpdateBackupPlan", "POST", "/backup/plans/\(planID)", ["BackupPlan": ["BackupPlanName": "p", "Rules": [hourly]]])
        #expect(updated["VersionId"] as? String != plan["VersionId"] as? String, "an update makes a new version")
        let detail = try await call("GetBackupPlan", "GET", "/backup/plans/\(planID)/")
        #expect(((detail["BackupPlan"] as? [String: Any])?["Rules"] as? [[String: Any]])?.first?["ScheduleExpression"] as? String == "cron(0 0/6 * * ? *)")

        _ = try await call("DeleteBackupSelection", "DELETE", selections + selectionID)
        _ = try await call("DeleteBackupPlan", "DELETE", "/backup/plans/\(planID)")
        do {
            _ = try await call("ListBackupSelections", "GET", selections)
            Issue.record("a deleted plan has no selections to list")
        } catch let error as DriverError { #expect(error.description.contains("ResourceNotFoundException")) }
    }
}
