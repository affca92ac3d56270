import AgoraKit
import TerminalCore

/// The reader's commands, each handed to the model it is for.
extension AppState {
    mutating func perform(_ command: Command) -> [Effect] {
        switch command {
        case .down: return move(1)
        case .up: return move(-1)
        case .pageDown: return move(max(1, layout.rows(for: focus) - 1))
        case .pageUp: return move(-max(1, layout.rows(for: focus) - 1))
        case .top: return move(Int.min / 2)
        case .bottom: return move(Int.max / 2)
        case .nextPane: cycleFocus(1); return windowEffects()
        case .previousPane: cycleFocus(-1); return windowEffects()
        case .open: return open()
        case .back: return back(orQuit: false)
        case .quit: return back(orQuit: true)
        case .quitNow: return []  // done in update, for every mode
        case .toggleRead: return toggleRead()
        case .toggleStar: return toggleStar()
        case .markAllRead:
            guard settings.confirmMarkAllRead else { return [.markAllRead(postFilter)] }
            mode = .confirmMarkAllRead
            return []
        case .undo: return [.undo]
        case .nextUnread: return stepMatch(1) ?? stepToNewReply() ?? findUnread(forward: true)
        case .previousUnread: return stepMatch(-1) ?? findUnread(forward: false)
        case .author: return goToAuthor()
        case .nextComment: return stepComment(1)
        case .foldThread, .foldAll:
            guard case .article(var article) = detail else { return [] }
            message = command == .foldThread ? article.toggleFold(visible: layout.detailRows) : article.toggleFoldAll(visible: layout.detailRows)
            foldedThreads[article.id] = article.document.folded
            detail = .article(article)
            return []
        case .previousComment: return stepComment(-1)
        case .toggleQuotes:
            guard case .article(var article) = detail else { return [] }
            guard article.document.foldsQuotes else {
                message = "Nothing here folds: quoted text folds in a mailing list's messages."
                return []
            }
            let open = !article.document.quotesOpen
            article.requote(open: open, visible: layout.detailRows)
            message = open ? "Quoted text and signatures shown whole." : "Quoted text and signatures folded."
            detail = .article(article)
            return []
        case .openLink:
            // An open article's links, or, with nothing open, the community's.
            if case .none = detail, !community.addresses.isEmpty {
                mode = .link("")
                return []
            }
            guard case .article(let article) = detail, !article.document.links.isEmpty || article.document.detail.post.link != nil else {
                message = "No links in this post."
                return []
            }
            mode = .link("")
            return []
        case .roster:
            if layout.kind == .wide {
                focus = .roster
            } else {
                rosterInPlaceOfPosts.toggle()
                focus = rosterInPlaceOfPosts ? .roster : .posts
            }
            return windowEffects()
        case .help:
            helpReturnsTo = .normal
            mode = .help(scroll: 0)
            return []
        case .toggleMute:
            guard let member = memberInView else {
                message = "Open a post, a profile or a member first: \(keymap.label(.toggleMute)) mutes that member."
                return []
            }
            return [.toggleMute(member.id, name: member.name)]
        case .sources:
            return openSources()
        case .glance:
            glance = GlanceState(origin: place)
            mode = .glance
            return [.loadStats]
        case .search:
            search = SearchState(origin: place)
            mode = .search
            return []
        case .toggleUnreadOnly:
            var filter = postFilter
            filter.unreadOnly.toggle()
            return setPostFilter(filter)
        case .toggleStarredOnly:
            var filter = postFilter
            filter.starredOnly.toggle()
            return setPostFilter(filter)
        case .filterAuthor: return filterByAuthor()
        case .filterCountry: return filterByCountry()
        case .filterTag: return filterByTag()
        case .clearFilters: return clearFilters()
        case .cycleSort:
            if focus == .roster {
                let effects = roster.cycleSort(visible: layout.rosterRows)
                message = "Roster: \(memberSort.label)"
                return effects
            }
            let all = PostSort.allCases
            postList.sort = all[(all.firstIndex(of: postSort)! + 1) % all.count]
            message = "Posts: \(postSort.label)"
            return postList.reset(visible: layout.postsRows)
        case .filterRoster:
            if layout.kind != .wide { rosterInPlaceOfPosts = true }
            focus = .roster
            mode = .rosterFilter
            return windowEffects()
        case .cycleTheme:
            guard settings.themeNames.count > 1 else {
                message = "Only one theme: \(settings.themeNames.first ?? "default") (agora themes lists what there is)."
                return []
            }
            settings.themeIndex = (settings.themeIndex + 1) % settings.themeNames.count
            message = "Theme: \(settings.themeNames[settings.themeIndex])"
            return []
        case .sync:
            return [.sync()]
        case .syncSource:
            guard case .article(let article) = detail else {
                message = "Open a post first: \(keymap.label(.syncSource)) brings its feed or forum up to date."
                return []
            }
            guard let source = article.document.detail.source, source.isSynced else {
                message = "This post is not from a feed or a forum: \(keymap.label(.sync)) syncs every source."
                return []
            }
            return [.sync(source.id)]
        case .erase, .clearLine, .yes:
            return []
        }
    }

    // MARK: Moving

    mutating func move(_ delta: Int) -> [Effect] {
        switch focus {
        case .posts:
            postList.window.select(posts.selected.clampedAdding(delta), visible: layout.postsRows)
        case .roster:
            roster.window.select(members.selected.clampedAdding(delta), visible: layout.rosterRows)
        case .detail:
            switch detail {
            case .article(var article):
                article.scroll(by: delta, visible: layout.detailRows)
                detail = .article(article)
            case .profile(var profile):
                profile.select(profile.selected.clampedAdding(delta), visible: layout.detailRows)
                detail = .profile(profile)
            case .none:
                break
            }
        }
        return windowEffects()
    }

    // MARK: Opening

    private mutating func open() -> [Effect] {
        switch focus {
        case .posts:
            guard let post = posts.selectedRow else { return [] }
            remember()
            return [.openPost(post.id)]
        case .roster:
            guard let member = members.selectedRow else { return [] }
            remember()
            return [.openMember(member.id)]
        case .detail:
            // A name chosen on an article's who-commented line: that member's profile.
            if case .article(let article) = detail, let name = article.chosenCommenter {
                remember()
                return [.openMember(article.document.commenterStops[name].member)]
            }
            guard case .profile(let profile) = detail, let item = profile.selectedItem else { return [] }
            guard let post = item.post else {
                message = "A comment on this member's wall: it is all here."
                return []
            }
            remember()
            return [.openPost(post)]
        }
    }

    mutating func openResult() -> [Effect] {
        guard let current = search, current.items.indices.contains(current.selected) else { return [] }
        let item = current.items[current.selected]
        // Back from what opens comes back to these results.
        remember()
        go(to: current.origin)
        let query = current.query
        switch item {
        case .post(let hit):
            pendingMatch = PendingMatch(post: hit.post.id, comment: nil, query: query)
            return [.openPost(hit.post.id)]
        case .comment(let hit):
            pendingMatch = PendingMatch(post: hit.post, comment: hit.comment, query: query)
            return [.openPost(hit.post)]
        case .member(let member):
            return [.openMember(member.id)]
        }
    }

    // MARK: Reader state

    private var currentPostID: Post.ID? {
        if focus == .detail, case .article(let article) = detail { return article.id }
        if focus == .posts { return posts.selectedRow?.id }
        if case .article(let article) = detail { return article.id }
        return nil
    }

    private var currentState: PostState? {
        if focus == .detail, case .article(let article) = detail { return article.document.detail.state }
        return posts.selectedRow?.state
    }

    private mutating func toggleRead() -> [Effect] {
        guard let id = currentPostID, let state = currentState else { return [] }
        setRead(id, !state.read)
        message = state.read ? "Marked unread." : "Marked read."
        return [.setRead(id, !state.read)] + (postList.dependsOnState ? [.countPosts(postFilter)] : [])
    }

    private mutating func toggleStar() -> [Effect] {
        guard let id = currentPostID, let state = currentState else { return [] }
        updateState(id) { $0.starred = !state.starred }
        message = state.starred ? "Unstarred." : "Starred."
        return [.setStarred(id, !state.starred)] + (postList.dependsOnState ? [.countPosts(postFilter)] : [])
    }

    /// Changes a post's read state everywhere it is shown, and the unread count.
    /// Marks a post read or unread on screen, and the unread count with it. `known`: what it was,
    /// when the caller knows (a post opened from a profile is in no list row).
    mutating func setRead(_ id: Post.ID, _ read: Bool, was known: Bool? = nil) {
        let was = known ?? posts.rows.first { $0.id == id }?.state.read ?? openArticle(id)?.document.detail.state.read
        updateState(id) { $0.read = read }
        if let was, was != read { postList.unread += read ? -1 : 1 }
    }

    private func openArticle(_ id: Post.ID) -> ArticleModel? {
        if case .article(let article) = detail, article.id == id { return article }
        return nil
    }

    private mutating func updateState(_ id: Post.ID, _ change: (inout PostState) -> Void) {
        postList.update(id, change)
        if var article = openArticle(id) {
            change(&article.document.detail.state)
            detail = .article(article)
        }
    }

    // MARK: Unread, authors, comments

    private mutating func findUnread(forward: Bool) -> [Effect] {
        // Start after the post that is open (or selected) and look in the loaded rows first.
        var from = posts.selected
        if case .article(let article) = detail, let position = postList.position(of: article.id) { from = position }
        switch postList.nextUnread(from: from, forward: forward) {
        case .loaded(let index):
            postList.window.select(index, visible: layout.postsRows)
            remember()
            return [.openPost(posts.rows[index - posts.offset].id)]
        case .none:
            message = forward ? "No unread posts below." : "No unread posts above."
            return []
        case .ask(let search):
            return [.findUnread(search)]
        }
    }

    private mutating func goToAuthor() -> [Effect] {
        guard case .article(let article) = detail else { return [] }
        guard let author = article.chosenAuthor else {
            message = article.currentComment == nil ? "This post names no author." : "This comment's author is not a member."
            return []
        }
        remember()
        return [.openMember(author)]
    }

    private mutating func stepComment(_ step: Int) -> [Effect] {
        guard case .article(var article) = detail else { return [] }
        guard !article.document.commentStarts.isEmpty else {
            message = "No comments."
            return []
        }
        article.stepComment(step, visible: layout.detailRows)
        detail = .article(article)
        return []
    }

    /// n in a post with replies that came in since it was read: the next of them, then (when
    /// none is left below) the next unread post. Nil when it does not apply.
    private mutating func stepToNewReply() -> [Effect]? {
        guard focus == .detail, case .article(var article) = detail, let (number, count) = article.stepToNew(visible: layout.detailRows)
        else { return nil }
        detail = .article(article)
        message = "New reply \(number) of \(count); \(keymap.label(.nextUnread)) goes on."
        return []
    }

    /// n and N in an article opened from search: the next (or previous) line with a match.
    /// Nil when there is nothing to step through, so the keys keep their usual meaning.
    private mutating func stepMatch(_ step: Int) -> [Effect]? {
        guard focus == .detail, case .article(var article) = detail, article.match != nil else { return nil }
        guard let (number, count) = article.stepMatch(step, visible: layout.detailRows) else {
            message = "No match in this post."
            return []
        }
        detail = .article(article)
        message = "Match \(number) of \(count) (lines with a match)"
        return []
    }

}
