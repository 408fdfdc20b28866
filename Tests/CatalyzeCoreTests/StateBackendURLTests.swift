import CatalyzeCore
import Testing

@Suite struct StateBackendURLTests {
    @Test func parsesEachForm() throws {
        #expect(try StateBackendURL.parse("file:catalyze.lock.json") == .file(path: "catalyze.lock.json"))
        #expect(try StateBackendURL.parse("file:///var/lib/catalyze/acme.json") == .file(path: "/var/lib/catalyze/acme.json"))
        #expect(try StateBackendURL.parse("s3://team-state/catalyze/prod/") == .s3(bucket: "team-state", prefix: "catalyze/prod"))
        #expect(try StateBackendURL.parse("s3://team-state") == .s3(bucket: "team-state", prefix: ""))
        #expect(try StateBackendURL.parse("etcd://10.0.0.1:2379,etcd-b.internal:2379/catalyze") == .etcd(
            endpoints: [.init(host: "10.0.0.1", port: 2379), .init(host: "etcd-b.internal", port: 2379)], prefix: "catalyze", tls: false))
        #expect(try StateBackendURL.parse("etcds://[::1]:2379/a/b") == .etcd(endpoints: [.init(host: "[::1]", port: 2379)], prefix: "a/b", tls: true))
        #expect(try StateBackendURL.parse("s3://team-state/catalyze/prod/").description == "s3://team-state/catalyze/prod")
    }

    @Test(arguments: [
        ("", "URL"), ("catalyze.lock.json", "scheme"), ("s4://bucket/x", "scheme"), ("S3://bucket/x", "scheme"),
        ("s3:/bucket", "scheme"), ("s3://", "bucket"), ("s3://Team_State/x", "bucket"), ("s3://ab/x", "bucket"),
        ("s3://bucket/a//b", "prefix"), ("s3://bucket/a/../b", "prefix"), ("s3://bucket/a b", "prefix"),
        ("s3://bucket/x?versionId=1", "query"), ("s3://bucket/x#top", "fragment"), ("file:", "path"),
        ("etcd://", "endpoints"), ("etcd://host/prefix", "port"), ("etcd://host:0/p", "port"), ("etcd://host:70000/p", "port"),
        ("etcd://host:2379", "prefix"), ("etcd://host:2379/", "prefix"), ("etcd://a:1,,b:2/p", "endpoints"),
        ("etcd://ho_st:2379/p", "host"), ("etcd://[::1/p", "host"),
    ])
    func refusesNamingTheWrongPart(url: String, part: String) {
        let error = #expect(throws: StateBackendURLError.self) { try StateBackendURL.parse(url) }
        #expect(error?.part == part, "\(url): \(String(describing: error))")
    }

    @Test func neverEchoesUserInformation() {
        let error = #expect(throws: StateBackendURLError.self) { try StateBackendURL.parse("s3://AKIAEXAMPLE:s3cr3t@bucket/x") }
        #expect(error?.part == "user information")
        #expect(error.map { !$0.description.contains("s3cr3t") && !$0.description.contains("AKIAEXAMPLE") } == true)
    }
}
