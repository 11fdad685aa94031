extension ChatState {
    /// Applies a key; `paneHeight` is how many message lines are visible, for paging.
    public mutating func handle(_ key: Key, paneHeight: Int) -> ChatAction? {
        hint = nil
        // A second Ctrl-C in a row confirms quitting over a draft; any other key keeps it.
        let quitConfirmed = quitAsked
        quitAsked = false
        let page = max(paneHeight - 1, 1)
        switch key {
        case .text(let text): input.insert(text)
        case .paste(let text): input.insert(text)
        case .enter:
            // An empty Enter does nothing, except sign back in after a sign-out.
            guard !input.text.trimmingWhitespace().isEmpty || connection == .signedOut else { return nil }
            scroll = 0
            // Kept out of the history: an answer is clinical, and means nothing typed again.
            if answerQuestionnaire(input.text, at: lobbyClock) {
                input.clear()
                return nil
            }
            return .submit(input.submit())
        case .tab: complete()
        case .backspace: input.backspace()
        case .delete: input.deleteForward()
        case .left: input.left()
        case .right: input.right()
        case .wordLeft: input.wordLeft()
        case .wordRight: input.wordRight()
        case .up: input.historyUp()
        case .down: input.historyDown()
        case .pageUp: return scrollUp(by: page)
        case .pageDown: scroll = max(0, scroll - page)
        case .home: return scrollUp(by: Int.max / 2)
        case .end: scroll = 0
        case .escape: break
        case .control(let letter):
            switch letter {
            case "a": input.home()
            case "e": input.end()
            case "b": input.left()
            case "f": input.right()
            case "w": input.deleteWordBack()
            case "u": input.deleteToStart()
            case "k": input.deleteToEnd()
            case "c":
                if input.isEmpty || quitConfirmed { return .quit }
                quitAsked = true
                hint = "Press Ctrl-C again to quit and lose what you typed; any other key keeps it."
            case "d":
                if input.isEmpty { return .quit }
                input.deleteForward()
            case "o": membersToggled.toggle()
            case "n": cycleRoom(by: 1)
            case "p": cycleRoom(by: -1)
            default: break
            }
        }
        return nil
    }

    private mutating func scrollUp(by lines: Int) -> ChatAction? {
        if atTop, let room = currentRoom, let first = room.firstSeq, first > 1 {
            return .loadOlder(room.id, before: first)
        }
        scroll += lines
        return nil
    }

    private mutating func cycleRoom(by step: Int) {
        guard !roomOrder.isEmpty else { return }
        let index = current.flatMap { roomOrder.firstIndex(of: $0) } ?? 0
        let next = (index + step + roomOrder.count) % roomOrder.count
        switchTo(roomOrder[next])
    }

    /// Tab: completes a command at the start of the line, otherwise a member's name.
    mutating func complete() {
        let (typed, isFirst) = input.wordBeforeCursor
        // A name already opened with a quote is matched without it, and closed when completed.
        let word = typed.hasPrefix("\"") ? String(typed.dropFirst()) : typed
        guard !word.isEmpty else { return }
        let inCommand = input.text.hasPrefix("/")
        let candidates: [String]
        if isFirst && word.hasPrefix("/") {
            candidates = verbs.filter { $0.hasPrefix(word.lowercased()) }
        } else {
            let names = currentRoom.map { $0.members.values.map(\.name) } ?? []
            candidates = names.filter { $0.lowercased().hasPrefix(word.lowercased()) }.sorted()
        }
        guard let first = candidates.first else { return }
        if candidates.count == 1 {
            let addressing = isFirst && !word.hasPrefix("/")
            // A command takes a name with spaces only in quotes (`SlashCommand.words`).
            let quoted = inCommand && !isFirst && (first.contains(" ") || typed.hasPrefix("\""))
            input.replaceWordBeforeCursor(with: (quoted ? "\"\(first)\"" : first) + (addressing ? ": " : " "))
            return
        }
        var common = first
        for candidate in candidates.dropFirst() {
            while !candidate.lowercased().hasPrefix(common.lowercased()) { common.removeLast() }
        }
        // A shared part that ends in a space could not be completed further as one word.
        if common.count > word.count && !common.contains(" ") {
            input.replaceWordBeforeCursor(with: (typed.hasPrefix("\"") ? "\"" : "") + common)
        }
        hint = candidates.joined(separator: "  ")
    }
}
