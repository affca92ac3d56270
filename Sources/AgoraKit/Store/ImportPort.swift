import Foundation

/// All an importer or a sync may ask of a cache, and all it may do to one: which sources it
/// has, which of some ids it has (a reply's own address with it, for a topic read in parts),
/// and write a batch. No importer reads posts or members back: where two writes bring the same
/// record, the cache decides what it keeps (`MergeRule`), field by field.
public protocol ImportPort: Sendable {
    func sources() throws -> [Source]
    /// Which of these members the cache has.
    func knownMembers(_ ids: [Member.ID]) throws -> Set<Member.ID>
    /// A post's replies the cache has, by id, with their own address (nil where they have none);
    /// empty for a post the cache does not have.
    func knownReplies(of post: Post.ID) throws -> [Comment.ID: String?]
    /// Which of these ids the cache has, as a post or as a comment, and the post that holds
    /// each (a message imported before that a new one answers: the thread it goes on).
    func holders(of ids: [String]) throws -> [String: Holder]
    /// Writes content in one transaction: the same ids update in place (as `MergeRule` says),
    /// reader state is merged (read or starred in either stays so). On any error nothing is written.
    @discardableResult
    func importContent(_ content: CacheContent) throws -> ImportSummary
    /// Writes content that arrives in batches (a large feed read as a stream), all in one
    /// transaction: `produce` hands each batch to the function it is given. On any error, from
    /// `produce` or from the cache, nothing is written. Ids must not repeat across batches.
    @discardableResult
    func importBatches(_ produce: (_ write: (CacheContent) throws -> Void) throws -> Void) throws -> ImportSummary
}

/// Where an id is in a cache: the post it is, or the post of the comment it is.
public struct Holder: Hashable, Sendable {
    public var post: Post.ID
    /// The id is a comment's (else the post's own).
    public var isComment: Bool

    public init(post: Post.ID, isComment: Bool) {
        self.post = post
        self.isComment = isComment
    }
}
