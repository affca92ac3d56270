import Foundation

/// What a cache keeps when a write brings a record it has: one rule, field by field, that both
/// caches apply as they write. Importers never read a record back to merge it themselves.
public enum MergeRule {
    /// A post. From the source it came from, the write is the post as it now is. From another
    /// source (a forum's topic and the same topic in the forum's own `/latest.rss`), the richer
    /// kind's post wins (`Source.Traits.richness`: a forum's, with views, likes and the whole
    /// body, over its feed's) and the other only fills what the richer one lacks; the post stays
    /// with the richer source. Equal richness: the write wins, gaps filled from the cache.
    public static func post(_ incoming: Post, over stored: Post, richness: (Source.ID?) throws -> Int) rethrows -> Post {
        guard incoming.source != stored.source else { return incoming }
        let (rich, poor) = try richness(incoming.source) >= richness(stored.source) ? (incoming, stored) : (stored, incoming)
        var out = rich
        if out.author == nil { out.author = poor.author }
        if out.authorName == nil { out.authorName = poor.authorName }
        if out.published == nil { out.published = poor.published }
        if out.updated == nil { out.updated = poor.updated }
        if out.category == nil { out.category = poor.category }
        if out.tags.isEmpty { out.tags = poor.tags }
        if out.views == nil { out.views = poor.views }
        if out.likes == nil { out.likes = poor.likes }
        if out.body.isEmpty { out.body = poor.body }
        if out.link == nil { out.link = poor.link }
        return out
    }

    /// A member. What a write says replaces what the cache has; what it does not say keeps it: a
    /// forum's directory row has no biography, a profile read later has one, and neither takes
    /// the other's away. A record that is a name alone (a feed's author) says nothing more
    /// than the name, and does not rename a member the cache knows better. A role of plain
    /// `member` is what a list says of everyone, so it demotes no one.
    public static func member(_ incoming: Member, over stored: Member) -> Member {
        var out = stored
        if !incoming.isNameAlone || stored.isNameAlone { out.name = incoming.name }
        if incoming.role != .member { out.role = incoming.role }
        if !incoming.isNameAlone { out.state = incoming.state }
        if incoming.location != nil || incoming.country != nil {
            out.location = incoming.location
            out.country = incoming.country
            out.countryCode = incoming.countryCode
        }
        out.joined = incoming.joined ?? stored.joined
        out.bio = incoming.bio ?? stored.bio
        out.avatarPath = incoming.avatarPath ?? stored.avatarPath
        var answers = stored.profile
        for answer in incoming.profile {
            guard let index = answers.firstIndex(where: { $0.question == answer.question }) else {
                answers.append(answer)
                continue
            }
            // A list keeps what it had and gains what is new, sorted: the same whichever write came first.
            if let separator = answer.separator {
                let kept = Member.ProfileAnswer.items(answers[index].answer, separatedBy: separator)
                let all = Set(kept + answer.items).sorted()
                answers[index] = Member.ProfileAnswer(question: answer.question, answer: all.joined(separator: separator), separator: separator)
            } else {
                answers[index] = answer
            }
        }
        out.profile = answers
        if !incoming.wall.isEmpty { out.wall = incoming.wall }
        return out
    }
}

extension Member {
    /// Nothing known of them but a name.
    var isNameAlone: Bool {
        country == nil && countryCode == nil && location == nil && joined == nil && role == .member && state == .active
            && bio == nil && profile.isEmpty && avatarPath == nil && wall.isEmpty
    }
}
