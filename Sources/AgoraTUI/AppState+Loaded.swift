import AgoraKit
import TerminalCore

/// What came back from the store, and the filters of the post list.
extension AppState {
    mutating func apply(_ loaded: Loaded) -> [Effect] {
        switch loaded {
        case .posts(let offset, let rows, let counts):
            postList.receive(offset: offset, rows: rows, counts: counts, visible: layout.postsRows)
            // The open article shows the reader state its row has now.
            if case .article(var article) = detail, let row = rows.first(where: { $0.id == article.id }),
               row.state != article.document.detail.state {
                article.document.detail.state = row.state
                detail = .article(article)
            }
            return []
        case .postCounts(let counts):
            postList.receive(counts, visible: layout.postsRows)
            return windowEffects()
        case .countries(let counts):
            roster.countryCounts = counts
            return []
        case .searchResults(let query, let results):
            search?.receive(results, for: query)
            // Counts left for after the frame: asked once it is drawn.
            return search?.query == query && !results.atLeast.isEmpty ? [.countSearch(query)] : []
        case .muteChanged(let id, let name, let muted):
            message = muted
                ? "Muted \(name): their posts and comments are hidden; \(keymap.label(.toggleMute)) on them again unmutes."
                : "Unmuted \(name)."
            var effects = postList.reload(visible: layout.postsRows)
            // The places Esc goes back to show it too.
            for index in history.indices {
                switch history[index].detail {
                case .article(var article):
                    article.document = article.document.muting(id, muted)
                    history[index].detail = .article(article)
                case .profile(var profile) where profile.profile.member.id == id:
                    profile.profile.muted = muted
                    history[index].detail = .profile(profile)
                default: break
                }
            }
            switch detail {
            case .article(let article): effects.append(.reloadPost(article.id))
            case .profile(let profile) where profile.profile.member.id == id: effects.append(.openMember(id))
            default: break
            }
            return effects
        case .stats(let stats):
            guard var current = glance else { return [] }
            current.stats = stats
            // The chart's cursor starts on the latest month.
            if current.month == nil {
                let periods = GlanceView.document(current, community: community, width: width, height: height,
                                                  unicode: settings.unicodeCharts)?.months.count ?? 0
                current.month = max(0, periods - 1)
            }
            glance = current
            return []
        case .sources(let sources, let counts):
            receiveSources(sources, counts)
            return []
        case .searchCounts(let query, let totals):
            search?.receive(totals, for: query)
            return []
        case .members(let offset, let rows, let total):
            roster.receive(offset: offset, rows: rows, total: total, visible: layout.rosterRows)
            // The whole roster: a cache with no members at all (feeds whose items name no
            // author) leaves the roster's pane to the posts.
            if offset == 0, roster.name.isEmpty, roster.country == nil, rosterUseful != (total > 0) {
                rosterUseful = total > 0
                fitToSize()
            }
            return []
        case .post(let post):
            return opened(post)
        case .articleCompleted(let full):
            completed(full)
            return []
        case .postReloaded(let reloaded):
            // Where the reader is in it stays. A reply that came in is new: marked, and left unread
            // until the post is opened again; the ones marked new when it was opened stay marked.
            guard case .article(let open) = detail, open.id == reloaded.post.id else { return [] }
            var post = reloaded
            let shownNew = Set(open.document.detail.comments.filter { !$0.state.read }.map(\.id))
            for index in post.comments.indices where shownNew.contains(post.comments[index].id) { post.comments[index].state.read = false }
            guard open.document.detail != post else { return [] }
            var article = ArticleModel(document: ArticleDocument(post, width: layout.detailTextWidth, dateFormat: settings.dateFormat,
                                                                 commentPolicy: commentPolicy(for: post),
                                                                 folded: foldedThreads[post.post.id] ?? []))
            article.scroll = min(open.scroll, max(0, article.document.lines.count - 1))
            article.currentComment = open.currentComment.map { min($0, max(0, article.document.commentStarts.count - 1)) }
            article.chosenMember = open.chosenMember
            article.match = open.match
            article.readBefore = open.readBefore
            detail = .article(article)
            return []
        case .linkedMember(let profile):
            remember()
            return receive(.member(profile))
        case .linkedPost(let post):
            remember()
            let effects = opened(post)
            message = "Opened in the reader; \(keymap.label(.back)) comes back, \(keymap.label(.openLink)) 0 opens the forum's page."
            return effects
        case .member(let profile):
            detail = .profile(ProfileModel(profile: profile, dateFormat: settings.dateFormat, openKey: keymap.label(.open),
                                           width: layout.detailTextWidth))
            focus = .detail
            return []
        case .markedAllRead(let entry):
            message = entry.count == 0 ? "Nothing was unread."
                : "Marked \(plural(entry.count, "post")) read. \(keymap.label(.undo)) undoes it."
            return postList.reload(visible: layout.postsRows) + [.loadSources]
        case .undone(let result):
            message = "Undid mark-all-read: \(plural(result.restored, "post")) unread again."
            return postList.reload(visible: layout.postsRows) + [.loadSources]
        case .unreadFound(let index, let post):
            postList.window.select(index, visible: layout.postsRows)
            remember()
            return [.openPost(post.id)] + windowEffects()
        case .noUnread(let forward):
            message = forward ? "No unread posts below." : "No unread posts above."
            return []
        case .message(let text):
            message = text
            return []
        case .syncProgress(let news):
            message = "Syncing: \(news.done) of \(plural(news.total, "source")) done, \(news.new) new"
                + (news.newReplies > 0 ? ", \(plural(news.newReplies, "new reply", "new replies"))" : "") + (news.detail.map { "; " + $0 } ?? "") + "…"
            // What has come in so far shows as it comes.
            return update(.refresh)
        case .syncFinished(let news) where news.total == 0:
            message = "No sources to sync: agora sources add URL adds a feed or a forum."
            return []
        case .syncFinished(let news):
            var text = "Synced \(plural(news.total, "source")): \(news.new) new"
            if news.newReplies > 0 { text += ", " + plural(news.newReplies, "new reply", "new replies") }
            if news.failed > 0 { text += ", \(news.failed) failed (agora sources says why)" }
            message = text + "."
            return update(.refresh)
        }
    }

    /// A post to show: marked read if the settings say so, its comments seen, and opened from
    /// search at the match.
    private mutating func opened(_ post: PostDetail) -> [Effect] {
        var shown = post
        let wasRead = post.state.read
        let marks = settings.markReadOnOpen
        if marks { shown.state.read = true }
        // A long thread (not opened at a match, nor at replies new since it was read): its first
        // comments are laid out for the frame, the rest once the frame is up.
        let goesToNew = wasRead && shown.comments.contains { !$0.state.read }
        let partly = shown.comments.count > Self.laidOutFirst && pendingMatch?.post != post.post.id && !goesToNew
        let document = ArticleDocument(shown, width: layout.detailTextWidth, dateFormat: settings.dateFormat, commentPolicy: commentPolicy(for: shown),
                                       folded: foldedThreads[shown.post.id] ?? [],
                                       firstComments: partly ? max(Self.laidOutFirst / 2, layout.detailRows) : nil)
        var article = ArticleModel(document: document)
        if let pending = pendingMatch, pending.post == post.post.id {
            article.show(match: pending.query, comment: pending.comment, visible: layout.detailRows)
        }
        article.readBefore = wasRead
        if pendingMatch?.post != post.post.id, let (_, count) = article.stepToNew(visible: layout.detailRows) {
            // Read before, with replies since: it opens at the first of them, as a forum does.
            message = "\(plural(count, "new reply", "new replies")) since you read it; \(keymap.label(.nextUnread)) goes to the next."
        }
        pendingMatch = nil
        detail = .article(article)
        focus = .detail
        if layout.kind == .narrow { rosterInPlaceOfPosts = false }
        var effects: [Effect] = document.isPartial ? [.completeArticle(document)] : []
        if !wasRead, marks {
            setRead(post.post.id, true, was: false)
            effects.append(.setRead(post.post.id, true))
            if postList.dependsOnState { effects.append(.countPosts(postFilter)) }
        }
        // The markers show what is new this time; seen once, the comments are read.
        let unseen = post.comments.filter { !$0.state.read }.map(\.id)
        if !unseen.isEmpty { effects.append(.markCommentsRead(unseen)) }
        postList.repliesSeen(post.post.id)
        return effects
    }

    /// Past this many comments a thread's first frame lays out only its first ones.
    static let laidOutFirst = 60

    /// A partial article's rest, laid out: it takes the partial one's place where it still
    /// stands (the same post, width, folds and quotes), and the reader's place in it stays.
    private mutating func completed(_ full: ArticleDocument) {
        guard case .article(var open) = detail, open.id == full.detail.post.id, open.document.isPartial else { return }
        let shown = open.document
        open.document = shown.width == full.width && shown.folded == full.folded && shown.quotesOpen == full.quotesOpen
            && shown.detail == full.detail ? full : shown.completed()
        detail = .article(open)
    }

    /// The community's word on comments, for a post of its own (not a feed's or a forum's).
    public func commentPolicy(for detail: PostDetail) -> ArticleDocument.CommentPolicy? {
        guard let text = community.commentPolicy, detail.source?.kind.traits.takesCommentPolicy != false else { return nil }
        return ArticleDocument.CommentPolicy(text: text, join: community.join)
    }

    // MARK: Filters

    mutating func setPostFilter(_ filter: PostFilter) -> [Effect] {
        postList.filter = filter
        // Show the list the filter changed.
        if layout.kind != .wide || focus == .roster {
            rosterInPlaceOfPosts = false
            focus = .posts
        }
        if filter.source == nil { postList.sourceName = nil }
        message = filter == .all ? "All posts." : "Showing " + filter.summary(authorName: postList.authorName, sourceName: postList.sourceName) + "."
        return postList.reset(visible: layout.postsRows)
    }

    mutating func clearFilters() -> [Effect] {
        guard postFilter != .all || !memberName.isEmpty || roster.country != nil else {
            message = "No filter to clear."
            return []
        }
        var effects: [Effect] = []
        if !memberName.isEmpty || roster.country != nil {
            roster.name = ""
            roster.country = nil
            effects += roster.reset(visible: layout.rosterRows)
        }
        if postFilter != .all { effects += setPostFilter(.all) } else { message = "All members." }
        return effects
    }

    /// The member the reader is looking at: an article's author, a profile, the roster's selection.
    var memberInView: (id: Member.ID, name: String, country: String?)? {
        if focus == .roster { return members.selectedRow.map { ($0.id, $0.name, $0.country) } }
        switch detail {
        case .article(let article): return article.memberInView
        case .profile(let profile): return (profile.profile.member.id, profile.profile.member.name, profile.profile.member.country)
        case .none: return nil
        }
    }

    mutating func filterByAuthor() -> [Effect] {
        guard let member = memberInView else {
            message = "Open a profile, a post or a member first: \(keymap.label(.filterAuthor)) shows that member's posts."
            return []
        }
        var filter = postFilter
        filter.author = member.id
        postList.authorName = member.name
        let effects = setPostFilter(filter)
        message = "Showing the posts of \(member.name)."
        return effects
    }

    mutating func filterByCountry() -> [Effect] {
        guard let member = memberInView else {
            message = "Open a profile, a post or a member first: \(keymap.label(.filterCountry)) shows posts from that country."
            return []
        }
        guard let country = member.country else {
            message = "\(member.name) has no country."
            return []
        }
        // The country replaces an author's filter: that member's posts are all from there.
        var filter = postFilter
        filter.author = nil
        filter.country = country
        return setPostFilter(filter)
    }

    mutating func filterByTag() -> [Effect] {
        guard case .article(let article) = detail else {
            message = "Open a post first: \(keymap.label(.filterTag)) shows the posts with its category or first tag."
            return []
        }
        let post = article.document.detail.post
        guard let tag = post.category ?? post.tags.first else {
            message = "This post has no category or tag."
            return []
        }
        var filter = postFilter
        filter.tag = tag
        return setPostFilter(filter)
    }
}
