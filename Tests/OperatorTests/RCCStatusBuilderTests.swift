import Foundation
import KubeClient
import Operator
import Testing

/// The status an RCC gets for each outcome: pure, so every case is checked without a server.
@Suite("RCC status builder")
struct RCCStatusBuilderTests {
    typealias Builder = RCCStatusBuilder
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func syncing(_ state: RemoteSyncStatus.State, failure: RemoteConnectionFailure? = nil) -> Builder.Outcome {
        var status = RemoteSyncStatus()
        status.state = state
        status.failure = failure
        status.remoteVersion = "v1.32.3"
        return .syncing(status)
    }

    static func table(_ status: Builder.Status) -> [String] {
        (status.conditions ?? []).map { "\($0.type)=\($0.status) \($0.reason ?? "")" }
    }

    @Test func eachOutcomeGivesItsStateAndConditions() {
        let inSync = Builder(generation: 3, previous: nil, outcome: Self.syncing(.inSync), counts: (12, 2)).build(now: Self.now)
        #expect(inSync.state == "InSync")
        #expect(Self.table(inSync) == ["Ready=True InSync", "ConfigValid=True Valid", "Connected=True Connected", "Synced=True InSync"])
        #expect(inSync.remoteEndpoints == 12 && inSync.remoteServices == 2 && inSync.observedGeneration == 3)
        #expect(inSync.conditions?.allSatisfy { $0.observedGeneration == 3 } == true)

        let failed = Builder(generation: 3, previous: inSync,
                             outcome: Self.syncing(.connectionFailed, failure: .init(reason: "Forbidden", message: "pods is forbidden")),
                             counts: (12, 2)).build(now: Self.now)
        #expect(Self.table(failed) == ["Ready=False ConnectionFailed", "ConfigValid=True Valid", "Connected=False Forbidden", "Synced=False ConnectionFailed"])
        #expect(failed.conditions?.first?.message == "pods is forbidden", "Ready says what is wrong")
        #expect(failed.conditions?[3].message?.contains("12 endpoints, 2 services) is kept") == true)

        let connecting = Builder(generation: 1, previous: nil, outcome: Self.syncing(.connecting), counts: nil).build(now: Self.now)
        #expect(Self.table(connecting) == ["Ready=False Connecting", "ConfigValid=True Valid", "Connected=Unknown Connecting", "Synced=False Connecting"])

        let incomplete = Builder(generation: 1, previous: nil, outcome: .configIncomplete(.secretNotFound(namespace: "calico-system", name: "x")),
                                 counts: nil).build(now: Self.now)
        #expect(incomplete.state == "ConfigIncomplete")
        #expect(Self.table(incomplete) == ["Ready=False ConfigIncomplete", "ConfigValid=False SecretNotFound", "Connected=False ConfigIncomplete", "Synced=False ConfigIncomplete"])
        #expect(incomplete.remoteEndpoints == 0)
    }

    @Test func unchangedConditionsKeepTheirTransitionTimeSoAnUnchangedWorldWritesNothing() {
        let first = Builder(generation: 1, previous: nil, outcome: Self.syncing(.inSync), counts: (1, 0)).build(now: Self.now)
        let again = Builder(generation: 1, previous: first, outcome: Self.syncing(.inSync), counts: (1, 0)).build(now: Self.now + 3600)
        #expect(again == first)
        let failed = Builder(generation: 1, previous: first, outcome: Self.syncing(.connectionFailed, failure: .init(reason: "Unreachable", message: "refused")),
                             counts: (1, 0)).build(now: Self.now + 60)
        #expect(failed.conditions?.first { $0.type == "ConfigValid" }?.lastTransitionTime == RFC3339.format(Self.now))
        #expect(failed.conditions?.first { $0.type == "Connected" }?.lastTransitionTime == RFC3339.format(Self.now + 60))
    }

    @Test func credentialsExpiringWithinSevenDaysWarns() throws {
        let soon = CredentialExpiry(credential: "token", expiresAt: Self.now + 2 * 86400 + 60)
        let warned = Builder(generation: 1, previous: nil, outcome: Self.syncing(.inSync), counts: (1, 0), credentialExpiry: soon).build(now: Self.now)
        let condition = try #require(warned.conditions?.last)
        #expect(condition.type == "CredentialsExpiring" && condition.status == "True" && condition.reason == "CredentialsExpiringSoon")
        #expect(condition.message == "the token expires at 2027-01-17T08:01:00Z (in 2 days); renew the remote credentials before then")
        #expect(warned.state == "InSync", "a warning, not a failure")

        let later = CredentialExpiry(credential: "token", expiresAt: Self.now + 30 * 86400)
        let quiet = Builder(generation: 1, previous: nil, outcome: Self.syncing(.inSync), counts: (1, 0), credentialExpiry: later).build(now: Self.now)
        #expect(quiet.conditions?.contains { $0.type == "CredentialsExpiring" } == false)

        let past = CredentialExpiry(credential: "client certificate", expiresAt: Self.now - 10)
        let expired = Builder(generation: 1, previous: nil, outcome: Self.syncing(.inSync), counts: (1, 0), credentialExpiry: past).build(now: Self.now)
        #expect(expired.conditions?.last?.reason == "CredentialsExpired")
    }

    @Test func identityPublishedFollowsThePublisherAndTheSync() {
        func condition(_ publishing: Bool?, _ outcome: Builder.Outcome) -> String? {
            let status = Builder(generation: 1, previous: nil, outcome: outcome, counts: nil, identityPublishing: publishing).build(now: Self.now)
            return status.conditions?.first { $0.type == "IdentityPublished" }.map { "\($0.status) \($0.reason ?? "")" }
        }
        var synced = RemoteSyncStatus()
        synced.state = .inSync
        synced.published = true
        #expect(condition(true, .syncing(synced)) == "True Published")
        #expect(condition(false, .syncing(synced)) == "False CalicoCRDsMissing")
        #expect(condition(true, Self.syncing(.resyncInProgress)) == "Unknown WaitingForSync")
        #expect(condition(nil, .syncing(synced)) == nil, "no publisher, no condition")
        #expect(condition(true, .configIncomplete(.secretNotFound(namespace: "n", name: "s"))) == nil)
    }

    @Test func jwtExpiryIsReadFromTheTokenAndOpaqueTokensHaveNone() {
        // {"alg":"none"}.{"exp":1800000000,"sub":"system:serviceaccount:calico-system:x"}.sig, base64url without padding.
        let payload = Data(#"{"exp":1800000000,"sub":"system:serviceaccount:calico-system:x"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        #expect(CredentialExpiry.jwtExpiry("eyJhbGciOiJub25lIn0.\(payload).c2ln") == Self.now)
        #expect(CredentialExpiry.jwtExpiry("opaque-token") == nil)
        #expect(CredentialExpiry.jwtExpiry("a.bm90IGpzb24.c") == nil, "a payload that is not JSON has no expiry")
    }
}
