import ArgumentParser
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import Foundation

/// Checks, before any change, that every secret reference and file the manifest names can be read
/// where a change of the plan will need it: `plan` before it proposes the changes, `apply` again
/// before its first mutating call. A problem is reported at the reference's manifest position with
/// the resource addresses that need it; a value is never printed.
struct ReferenceCheck {
    /// Why one reference cannot be used.
    struct Problem: Hashable, CustomStringConvertible {
        let reference: ManifestReference
        /// What is wrong (names the variable or the path, never the value).
        let reason: String
        /// The plan's resources that would read it.
        let addresses: [ResourceAddress]

        var description: String {
            let place = reference.location.map { "\($0): " } ?? ""
            let needed = addresses.map(\.description).joined(separator: ", ")
            return "\(place)error: \(reference.path): \(reason) (\(reference.reference)), needed by \(needed)"
        }
    }

    let environment: [String: String]
    /// The folder relative `file:` paths start from (the manifest's).
    let folder: String

    /// The references that resources changed by `plan` need and that cannot be read, sorted by position.
    func problems(_ references: [ManifestReference], plan: Plan) -> [Problem] {
        references.compactMap { reference in
            let addresses = Self.needers(reference, plan: plan)
            guard !addresses.isEmpty, let reason = unreadable(reference) else { return nil }
            return Problem(reference: reference, reason: reason, addresses: addresses)
        }
    }

    /// Prints every problem and fails when there is one.
    func enforce(_ references: [ManifestReference], plan: Plan) throws {
        let found = problems(references, plan: plan)
        guard !found.isEmpty else { return }
        for problem in found { printError(problem.description) }
        printError("error: nothing was changed: make \(found.count == 1 ? "this reference" : "these references") readable first")
        throw ExitCode.failure
    }

    /// The resources a change of `plan` makes or changes that read `reference` when applied.
    static func needers(_ reference: ManifestReference, plan: Plan) -> [ResourceAddress] {
        let text = reference.reference.description
        return plan.changes.filter { [.create, .update, .replace].contains($0.action) }.filter { change in
            let spec = change.spec
            switch reference.use {
            case .certificate: return spec.kind == .loadBalancer && spec.attributes["certificate"] == text
            case .backupPassphrase: return spec.kind == .backupPlan && spec.attributes["passphrase"] == text
            case .caPublicKey: return spec.kind == .instance
            case .operatorPublicKey: return false
            case .databasePassword(let database):
                // The group's containers: `<name>01`, `<name>02`, …
                let name = spec.address.name
                return spec.kind == .instance && name.hasPrefix(database)
                    && !name.dropFirst(database.count).isEmpty && name.dropFirst(database.count).allSatisfy(\.isNumber)
            }
        }.map(\.address).sorted()
    }

    /// Why `reference` cannot be read, or nil when it can (its content is read and dropped).
    func unreadable(_ reference: ManifestReference) -> String? {
        switch reference.reference {
        case .environment(let name):
            guard let value = environment[name] else { return "environment variable \(name) is not set" }
            return value.isEmpty ? "environment variable \(name) is empty" : nil
        case .file(let path):
            let full = path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path)
            var directory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &directory) else { return "no such file \(full)" }
            if directory.boolValue { return "\(full) is a folder, not a file" }
            guard let data = FileManager.default.contents(atPath: full) else { return "cannot read \(full)" }
            if data.isEmpty { return "\(full) is empty" }
            return nil
        case .keyService:
            return nil
        }
    }
}
