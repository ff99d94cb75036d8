/// Reads the protobuf wire format far enough to walk messages: each field's number and, for length-delimited fields,
/// its bytes (varints come back as their value). Malformed input ends the walk with nil.
struct ProtobufReader {
    enum Value {
        case varint(UInt64)
        case bytes(ArraySlice<UInt8>)
    }

    /// Fields in order, or nil when the bytes are not a well-formed message.
    static func fields(_ bytes: ArraySlice<UInt8>) -> [(number: Int, value: Value)]? {
        var fields: [(Int, Value)] = []
        var position = bytes.startIndex
        func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while position < bytes.endIndex, shift < 64 {
                let byte = bytes[position]
                position += 1
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
            return nil
        }
        while position < bytes.endIndex {
            guard let key = varint() else { return nil }
            let number = Int(key >> 3)
            switch key & 7 {
            case 0:
                guard let value = varint() else { return nil }
                fields.append((number, .varint(value)))
            case 2:
                guard let length = varint(), length <= UInt64(bytes.endIndex - position) else { return nil }
                let end = position + Int(length)
                fields.append((number, .bytes(bytes[position..<end])))
                position = end
            case 1:
                guard bytes.endIndex - position >= 8 else { return nil }
                position += 8
            case 5:
                guard bytes.endIndex - position >= 4 else { return nil }
                position += 4
            default:
                return nil
            }
        }
        return fields
    }

    /// The first length-delimited field `number` as bytes.
    static func bytes(_ fields: [(number: Int, value: Value)], _ number: Int) -> ArraySlice<UInt8>? {
        for field in fields where field.number == number {
            if case .bytes(let bytes) = field.value { return bytes }
        }
        return nil
    }

    /// The first length-delimited field `number` as UTF-8 text.
    static func string(_ fields: [(number: Int, value: Value)], _ number: Int) -> String? {
        bytes(fields, number).map { String(decoding: $0, as: UTF8.self) }
    }
}
