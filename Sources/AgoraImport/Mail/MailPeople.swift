import AgoraKit
import Foundation

/// The senders of a list as people. The same address (in any case, `at` written back) is one
/// person; a name that is the same once accents, case and "Last, First" are folded joins the
/// addresses it wrote from, but only addresses that carry part of the name (`m.maciel@...`,
/// `marilia@...` for Marília Maciel): two people who share a name and write from addresses
/// that say nothing of it stay two. Every address is kept on the member's profile.
struct MailPeople {
    private var parent: [Int] = []
    /// Node per address ("a:") or, for a sender with none, per name ("n:").
    private var nodes: [String: Int] = [:]
    private var names: [Int: [String: Int]] = [:]
    private var counts: [Int: [String: Int]] = [:]
    private var firstSeen: [Int: Int] = [:]

    init(_ senders: [MailAddress]) {
        var byName: [String: [Int]] = [:]
        // Each spelling and each pair of address and spelling is looked at once.
        var keys: [String: String] = [:]
        var pairs = Set<String>()
        for (order, sender) in senders.enumerated() {
            guard let node = node(for: sender) else { continue }
            firstSeen[node] = firstSeen[node] ?? order
            if let name = sender.name, !name.isEmpty {
                names[node, default: [:]][name, default: 0] += 1
                let key = keys[name] ?? MailAddress.nameKey(name)
                keys[name] = key
                if !key.isEmpty, let address = sender.address, pairs.insert(address + "\u{0}" + key).inserted,
                   Self.address(address, carries: key) {
                    byName[key, default: []].append(node)
                }
            }
            if let address = sender.address { counts[node, default: [:]][address, default: 0] += 1 }
        }
        for group in byName.values { for other in group.dropFirst() { union(group[0], other) } }
        // Each person's names and addresses, summed once.
        for node in parent.indices {
            let person = root(node)
            gatheredNames[person, default: [:]].merge(names[node] ?? [:], uniquingKeysWith: +)
            gatheredAddresses[person, default: [:]].merge(counts[node] ?? [:], uniquingKeysWith: +)
            firstSeen[person] = min(firstSeen[person] ?? Int.max, firstSeen[node] ?? Int.max)
        }
        for person in gatheredNames.keys { canonicalAddress[person] = canonical(person) }
    }

    private var gatheredNames: [Int: [String: Int]] = [:]
    private var gatheredAddresses: [Int: [String: Int]] = [:]
    private var canonicalAddress: [Int: String] = [:]

    /// Whether an address's local part has a word of the name in it (three letters or more).
    static func address(_ address: String, carries nameKey: String) -> Bool {
        let local = Folding.key(String(address.prefix { $0 != "@" }))
        return nameKey.split(separator: " ").contains { $0.count >= 3 && local.contains($0) }
    }

    private mutating func node(for sender: MailAddress) -> Int? {
        let key: String
        if let address = sender.address { key = "a:" + address } else if let name = sender.name, !MailAddress.nameKey(name).isEmpty {
            key = "n:" + MailAddress.nameKey(name)
        } else {
            return nil
        }
        if let known = nodes[key] { return known }
        let made = parent.count
        parent.append(made)
        nodes[key] = made
        return made
    }

    private func root(_ node: Int) -> Int {
        var node = node
        while parent[node] != node { node = parent[node] }
        return node
    }

    private mutating func union(_ a: Int, _ b: Int) {
        let (ra, rb) = (root(a), root(b))
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }

    private func person(of sender: MailAddress) -> Int? {
        let key = sender.address.map { "a:" + $0 } ?? sender.name.map { "n:" + MailAddress.nameKey($0) }
        return key.flatMap { nodes[$0] }.map(root)
    }

    /// Everything known of one person: their nodes' names and addresses, summed.
    private func gathered(_ person: Int) -> (names: [String: Int], addresses: [String: Int]) {
        (gatheredNames[person] ?? [:], gatheredAddresses[person] ?? [:])
    }

    /// The person's address that names them: the one they wrote from most (then the first in order).
    private func canonical(_ person: Int) -> String {
        let (names, addresses) = gathered(person)
        if let best = addresses.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) { return best.key }
        return MailAddress.nameKey(names.keys.sorted().first ?? "unknown")
    }

    /// Every address any sender wrote from.
    var addresses: [String] { Array(Set(gatheredAddresses.values.flatMap(\.keys))) }

    /// A person whose address already names a member in the cache (an earlier month, an earlier
    /// import) keeps that member: the known address they wrote from most is theirs, even when
    /// another is more frequent now. Without this the same person would split in two members.
    mutating func prefer(known: Set<Member.ID>, source: Source.ID) {
        guard !known.isEmpty else { return }
        for (person, addresses) in gatheredAddresses {
            let held = addresses.filter { known.contains(Source.IDRule.mailingList.memberID($0.key, in: source)) }
            if let best = held.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) { canonicalAddress[person] = best.key }
        }
    }

    func memberID(of sender: MailAddress, source: Source.ID) -> Member.ID? {
        person(of: sender).map { Source.IDRule.mailingList.memberID(canonicalAddress[$0] ?? canonical($0), in: source) }
    }

    /// The name the message gave, else the person's usual one.
    func name(of sender: MailAddress) -> String? {
        sender.name ?? person(of: sender).flatMap { usualName(gathered($0).names) }
    }

    private func usualName(_ names: [String: Int]) -> String? {
        names.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    /// A member per person: the spelling they use most, every address and spelling on the profile.
    /// (How many messages they wrote is the profile's own count of their threads and replies,
    /// right however many imports brought them; a number here would be this import's alone.)
    func members(source: Source.ID) -> [Member] {
        gatheredNames.keys.sorted { (firstSeen[$0] ?? 0) < (firstSeen[$1] ?? 0) }.map { person in
            let (names, addresses) = gathered(person)
            let name = usualName(names) ?? canonical(person)
            // Lists: a later import adds to them (`MergeRule`), so a list synced a month at a
            // time keeps every address and spelling.
            var profile = [Member.ProfileAnswer(question: "Addresses", answer: addresses.keys.sorted().joined(separator: ", "), separator: ", ")]
            let others = names.keys.filter { $0 != name }.sorted()
            if !others.isEmpty { profile.append(.init(question: "Also writes as", answer: others.joined(separator: "; "), separator: "; ")) }
            return Member(id: Source.IDRule.mailingList.memberID(canonicalAddress[person] ?? canonical(person), in: source), name: name, profile: profile)
        }
    }
}
