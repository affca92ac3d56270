import AgoraKit
import TerminalCore

/// Link numbers typed after `o`, and the mouse.
extension AppState {
    // MARK: Links

    mutating func updateLink(_ action: Action, digits: String) -> [Effect] {
        let links: [String]
        let own: String?
        switch detail {
        case .article(let article):
            links = article.document.links
            // 0, or Enter with no number: the post's own address.
            own = article.document.detail.post.link
        case .none:
            links = community.addresses
            own = nil
        case .profile:
            mode = .normal
            return []
        }
        let count = links.count
        switch action {
        case .insert("0") where digits.isEmpty, .command(.open) where digits.isEmpty:
            mode = .normal
            guard let own else {
                message = detail == .none ? "No link 0: the community's links are numbered from 1." : "This post has no web address of its own."
                return []
            }
            return [.openURL(own)]
        case .insert(let c) where c.isASCII && c.isNumber:
            let typed = digits + String(c)
            guard let number = Int(typed), number >= 1, number <= count else {
                mode = .normal
                message = "No link \(typed): this post has \(count)."
                return []
            }
            // Opens as soon as the number cannot grow.
            if number * 10 > count {
                mode = .normal
                return [.openURL(links[number - 1])]
            }
            mode = .link(typed)
            return []
        case .command(.open):
            mode = .normal
            guard let number = Int(digits), number >= 1, number <= count else { return [] }
            return [.openURL(links[number - 1])]
        case .command(.erase) where !digits.isEmpty:
            mode = .link(String(digits.dropLast()))
            return []
        default:
            mode = .normal
            return []
        }
    }

    // MARK: Mouse

    mutating func handleMouse(_ mouse: MouseEvent) -> [Effect] {
        guard mode == .normal, let pane = layout.pane(at: mouse.x, y: mouse.y) else { return [] }
        switch mouse.kind {
        case .press:
            focus = pane
            let row = mouse.y - layout.content(of: pane).y
            guard row >= 0 else { return windowEffects() }
            switch pane {
            case .posts: postList.window.select(posts.top + row - Layout.listHeaderRows, visible: layout.postsRows)
            case .roster: roster.window.select(members.top + row - Layout.listHeaderRows, visible: layout.rosterRows)
            case .detail:
                if case .profile(var profile) = detail, let index = profile.index(atRow: row) {
                    profile.select(index, visible: layout.detailRows)
                    detail = .profile(profile)
                }
            }
            return windowEffects()
        case .wheelUp, .wheelDown:
            // The wheel scrolls what is under it; it never opens or marks anything.
            let saved = focus
            focus = pane
            let effects = move(mouse.kind == .wheelUp ? -3 : 3)
            focus = saved
            return effects
        }
    }
}
