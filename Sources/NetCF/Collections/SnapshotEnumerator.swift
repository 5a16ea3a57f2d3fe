/// An enumerator over a snapshot of elements: what NetCF's collections return from `GetEnumerator()`.
final class SnapshotEnumerator: IDictionaryEnumerator {
    private let elements: [Any?]
    private var position = -1

    init(_ elements: [Any?]) {
        self.elements = elements
    }

    func MoveNext() -> Bool {
        if position < elements.count { position += 1 }
        return position < elements.count
    }

    var Current: Any? {
        get throws {
            guard position >= 0 else { throw InvalidOperationException("Enumeration has not started. Call MoveNext.") }
            guard position < elements.count else { throw InvalidOperationException("Enumeration already finished.") }
            return elements[position]
        }
    }

    func Reset() {
        position = -1
    }

    var Entry: DictionaryEntry {
        get throws {
            guard let entry = try Current as? DictionaryEntry else {
                throw InvalidOperationException("This enumerator does not enumerate a dictionary.")
            }
            return entry
        }
    }

    var Key: Any { get throws { try Entry.Key } }

    var Value: Any? { get throws { try Entry.Value } }
}
