import CatalyzeModel

/// The commented starter manifest `catalyze init` writes. It validates cleanly as written.
public enum StarterManifest {
    /// Renders a starter manifest for `profile` on `provider`, for pod `name`.
    public static func render(profile: Profile, provider: Provider, name: String) -> String {
        let (region, drRegion) = provider.capabilities.starterRegions
        let hipaa = profile == .hipaa
        var text = """
            # catalyze pod manifest, version 1. Reference: man 5 catalyze-manifest
            # Check it with `catalyze validate`, preview with `catalyze plan`.
            version: 1

            pod:
              name: \(name)                  # lowercase letters, digits, '-'
              customer: Example Customer     # free text

            # hipaa enforces encryption, TLS, logging, monitoring, backup and 2+ app replicas.
            # dev may switch them off (each one is reported as a warning).
            profile: \(profile.rawValue)

            regions:
              - name: primary
                provider: \(provider.rawValue)                # \(Provider.allCases.map(\.rawValue).joined(separator: " | "))
                region: \(region)
                role: primary

            """
        if hipaa {
            text += """
                  - name: dr                     # warm standby that receives backups
                    provider: \(provider.rawValue)
                    region: \(drRegion)
                    role: dr

                """
        }
        text += """

            scheduling:
              antiAffinity: required         # required | preferred
              maxMetricAge: \(PlacementDefaults.maxMetricAgeSeconds / 60)m              # hosts with older metrics do not bid
              weights: { cpu: \(PlacementDefaults.cpuWeight), memory: \(PlacementDefaults.memoryWeight), freeVcpu: \(PlacementDefaults.freeVCPUWeight), freeMemory: \(PlacementDefaults.freeMemoryWeight) }
              minimums: { cpuHeadroomPercent: \(Int(PlacementDefaults.cpuHeadroomPercent)), memoryHeadroomPercent: \(Int(PlacementDefaults.memoryHeadroomPercent)) }

            network:
              cidr: 10.40.0.0/16

            firewall:
              ingress:
                - name: \(hipaa ? "https" : "http")
                  protocol: tcp
                  ports: \(hipaa ? 443 : 80)
                  cidrs: [0.0.0.0/0]

            loadBalancer:
              type: application              # application | network
              listeners:

            """
        if hipaa {
            text += """
                    - protocol: https
                      port: 443
                      targetPort: 8080
                      certificate: file:certs/\(name).pem   # a reference: the PEM is read at apply time only
                    # Zero trust: instead of terminating TLS here with your key, pass it through to the
                    # containers, which hold the key (no certificate; on AWS with type: network):
                    #   - { protocol: tls-passthrough, port: 443, targetPort: 8080 }

                """
        } else {
            text += """
                    - { protocol: http, port: 80, targetPort: 8080 }

                """
        }
        text += """
              healthCheck: { path: /healthz, port: 8080, interval: 30s }

            encryption:
              enabled: \(hipaa)

            apps:
              - name: app
                replicas: \(hipaa ? 2 : 1)                  # app01, app02, … never share a physical host
                size: medium                 # small | medium | large | xlarge | {vcpu, memory}
                image: registry.example.com/app:1.0.0
                port: 8080

            databases:
              - name: db
                engine: postgres             # postgres | mysql
                version: "16"
                replicas: \(hipaa ? 2 : 1)
                size: large
                storage: { size: 100GiB, encrypted: \(hipaa) }
                password: env:DB_PASSWORD    # env:NAME or file:PATH, never the password itself

            api:
              replicas: 1
              size: small
              port: 8443

            logging:                         # always deployed; the customer sees it when paid for
              enabled: true
              endpoint: { port: 9200, path: /logs }
              retention: 90d
              customerAccess: { enabled: false }

            monitoring:
              enabled: true
              customerAccess: { enabled: false }

            backup:
              enabled: \(hipaa)
              interval: 24h
              retention: 30d

            """
        if hipaa { text += "  region: dr\n" }
        if hipaa && provider.capabilities.backupEncryption == .customerPassphrase {
            // Cloud Backup encrypts a vault at rest only with the customer's passphrase.
            text += "  passphrase: env:BACKUP_PASSPHRASE  # env:NAME or file:PATH, never the passphrase itself\n"
        }
        text += """

            access:
              maxTtl: 8h                     # longest support grant
              emergencyMaxTtl: 1h            # longest --emergency grant

            """
        return text
    }
}
