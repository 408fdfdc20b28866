import CatalyzeCore
import CatalyzeDrivers
import CatalyzeRackspace
import Foundation
import Testing

/// Building the driver's configuration from `OS_*` variables and `clouds.yaml`.
@Suite struct RackspaceConfigurationTests {
    @Test func readsTheOSVariables() throws {
        let config = try RackspaceConfiguration.fromEnvironment([
            "OS_AUTH_URL": "https://identity.api.rackspacecloud.com/v2.0", "OS_USERNAME": "acme",
            "OS_API_KEY": "s3cr3t-api-key", "OS_TENANT_ID": "123456", "OS_REGION_NAME": "ord",
        ])
        #expect(config.authURL.host == "identity.api.rackspacecloud.com")
        #expect(config.username == "acme")
        #expect(config.apiKey.reveal() == "s3cr3t-api-key")
        #expect(config.tenantID == "123456")
        #expect(config.region == "ORD")
        #expect(!"\(config.apiKey)".contains("s3cr3t"), "the key prints redacted")
    }

    @Test func namesEveryMissingVariableAndNoValue() {
        do {
            _ = try RackspaceConfiguration.fromEnvironment(["OS_API_KEY": "s3cr3t-api-key"])
            Issue.record("missing variables must fail")
        } catch let error as DriverError {
            let text = error.description
            #expect(text.contains("OS_AUTH_URL") && text.contains("OS_USERNAME"))
            #expect(!text.contains("OS_REGION_NAME"), "not required: each call names the manifest's region")
            #expect(!text.contains("OS_API_KEY,") && !text.contains("s3cr3t"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func fallsBackToCloudsYAML() throws {
        let yaml = """
            clouds:
              other:
                auth:
                  username: nobody
              rackspace:
                auth:
                  auth_url: "https://identity.api.rackspacecloud.com/v2.0"
                  username: acme   # the account's user
                  api_key: 'yaml-key'
                  project_id: "987"
                region_name: DFW
            """
        let config = try RackspaceConfiguration.fromEnvironment(["OS_REGION_NAME": "IAD"], cloudsYAML: yaml)
        #expect(config.username == "acme")
        #expect(config.apiKey.reveal() == "yaml-key")
        #expect(config.tenantID == "987")
        #expect(config.region == "IAD", "a variable wins over clouds.yaml")
        let other = try? RackspaceConfiguration.fromEnvironment(["OS_CLOUD": "other"], cloudsYAML: yaml)
        let noRegion = try RackspaceConfiguration.fromEnvironment(["OS_CLOUD": "rackspace", "OS_REGION_NAME": ""], cloudsYAML: yaml.replacingOccurrences(of: "region_name: DFW", with: ""))
        #expect(noRegion.region == "", "OS_REGION_NAME is optional")
        #expect(other == nil, "cloud 'other' lacks auth_url and api_key")
    }
}
