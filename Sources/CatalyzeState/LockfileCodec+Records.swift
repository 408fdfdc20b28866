import CatalyzeCore
import CatalyzeModel
import Foundation

/// Decoding the `resources` array, on every core when it is large.
///
/// A lockfile of 100,000 resources is about 70 MB; one core decodes it in about a second. The
/// array is cut into parts at element boundaries, the parts are decoded side by side, and their
/// records are moved into one dictionary. A repeated address sends the read back to one core,
/// which reports where it repeats.
///
/// Cutting needs no pre-scan: a raw newline never occurs inside a JSON string, so `,` + the first
/// element's leading whitespace (which has a newline in it) + `{` can only be the start of an
/// element of some array. Each part is then confirmed by the part before it, which must end
/// exactly at the `,` before the next part's first element; if any part does not, the guess was
/// wrong (a reformatted file, a nested array) and the whole array is decoded again on one core.
/// An error is trusted only from a part whose start was confirmed, so errors are the serial ones.
extension LockfileCodec {
    /// Below this many bytes left in the document, the array is decoded on one core.
    static let parallelThreshold = 1 << 20

    /// Reads the `resources` array (the reader stands before its `[`).
    static func records(_ r: inout JSONReader) throws(JSONReadError) -> [ResourceAddress: ResourceRecord] {
        try r.expect(UInt8(ascii: "["))
        let workers = ProcessInfo.processInfo.activeProcessorCount
        if workers > 1, r.input.count - r.offset >= parallelThreshold {
            let starts = elementStarts(r, parts: 2 * workers)
            if !starts.isEmpty, let records = try inParts(&r, starts: starts) { return records }
        }
        var reader = r
        let whole = try part(&reader, startsAtElement: false, stop: nil)
        r = reader
        return try merged(whole)
    }

    /// The records of one part and where each starts.
    struct Part {
        var records: [ResourceRecord] = []
        var offsets: [Int] = []
        /// Whether it ended exactly before its stop (or, for the last part, at the `]`).
        var landed = false
        /// Where it ended.
        var end = 0
    }

    /// Decodes elements until `stop` (the start of the next part's first element) or the `]`.
    /// `startsAtElement`: the reader stands at an element, not just after the `[`.
    static func part(_ r: inout JSONReader, startsAtElement: Bool, stop: Int?) throws(JSONReadError) -> Part {
        var part = Part()
        var first = true
        if startsAtElement {
            _ = r.peek()
            part.offsets.append(r.offset)
            part.records.append(try resourceRecord(&r))
            first = false
        }
        while true {
            if let stop {
                if r.isBeforeElement(at: stop) {
                    r.move(to: stop)
                    part.landed = true
                    break
                }
                if r.offset >= stop { break }
            }
            guard try r.nextElement(first: &first) else {
                part.landed = stop == nil
                break
            }
            _ = r.peek()
            part.offsets.append(r.offset)
            part.records.append(try resourceRecord(&r))
        }
        part.end = r.offset
        return part
    }

    /// Decodes the parts side by side; nil when a cut turned out not to be an element boundary, or
    /// when an address repeats (the serial read names the place).
    private static func inParts(
        _ r: inout JSONReader, starts: [Int]
    ) throws(JSONReadError) -> [ResourceAddress: ResourceRecord]? {
        let input = Unchecked(r.input)
        let first = r.offset
        let results = Parallel.map(starts.count + 1) { index in
            var reader = JSONReader(input.value, offset: index == 0 ? first : starts[index - 1])
            let stop = index < starts.count ? starts[index] : nil
            return Result { () throws(JSONReadError) in
                try part(&reader, startsAtElement: index > 0, stop: stop)
            }
        }
        var parts: [Part] = []
        parts.reserveCapacity(results.count)
        for result in results {
            // Every part before this one landed, so this one started at an element: its error stands.
            let part = try result.get()
            guard part.landed else { return nil }
            parts.append(part)
        }
        let end = parts[parts.count - 1].end
        guard let records = moved(parts) else { return nil }
        r.move(to: end)
        return records
    }

    /// The likely element starts that cut the rest of the document into about `parts` parts.
    static func elementStarts(_ r: JSONReader, parts: Int) -> [Int] {
        let bytes = r.input
        let begin = r.offset
        var index = begin
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{"),
              bytes[begin..<index].contains(0x0A) else { return [] }
        let indent = UnsafeBufferPointer(rebasing: bytes[begin..<index])
        var starts: [Int] = []
        var from = index + 1
        for cut in 1..<parts {
            let target = max(from, begin + (bytes.count - begin) / parts * cut)
            guard let found = find(comma: indent, in: bytes, from: target) else { break }
            starts.append(found)
            from = found + 1
        }
        return starts
    }

    /// The offset of the `{` of the first `,` + `indent` + `{` at or after `from`.
    private static func find(comma indent: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let length = indent.count + 2
        var index = from
        while index + length <= bytes.count {
            if bytes[index] == UInt8(ascii: ","), bytes[index + length - 1] == UInt8(ascii: "{"),
               indent.elementsEqual(UnsafeBufferPointer(rebasing: bytes[index + 1..<index + length - 1])) {
                return index + length - 1
            }
            index += 1
        }
        return nil
    }

    /// The records by address; a repeated address is an error at its second place.
    private static func merged(_ part: Part) throws(JSONReadError) -> [ResourceAddress: ResourceRecord] {
        var result: [ResourceAddress: ResourceRecord] = [:]
        result.reserveCapacity(part.records.count)
        for (index, record) in part.records.enumerated() {
            guard result.updateValue(record, forKey: record.address) == nil else {
                throw JSONReadError(offset: part.offsets[index], reason: "resource \(record.address) appears twice")
            }
        }
        return result
    }

    /// The parts' records by address, moved rather than copied (from the back, as `popLast`
    /// moves); nil when an address repeats (a serial read then says where).
    private static func moved(_ parts: consuming [Part]) -> [ResourceAddress: ResourceRecord]? {
        var result: [ResourceAddress: ResourceRecord] = [:]
        result.reserveCapacity(parts.reduce(0) { $0 + $1.records.count })
        for index in parts.indices.reversed() {
            while let record = parts[index].records.popLast() {
                guard result.updateValue(record, forKey: record.address) == nil else { return nil }
            }
        }
        return result
    }
}
