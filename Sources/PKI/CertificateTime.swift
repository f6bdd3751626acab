/// The validity times of a certificate in the two forms RFC 5280 s4.1.2.5 requires of a
/// conforming CA: UTCTime "YYMMDDHHMMSSZ" for years 1950 to 2049 and GeneralizedTime
/// "YYYYMMDDHHMMSSZ" (X.690 s11.7 and s11.8).
///
/// Only these exact forms are read here. Anything else (a missing seconds field, an offset,
/// fractions, a field out of range) gives nil, and the certificate's validity is then read by
/// OpenSSL, which accepts more spellings.
enum CertificateTime {
    static let utcTime: UInt8 = 0x17
    static let generalizedTime: UInt8 = 0x18

    /// The `Validity ::= SEQUENCE { notBefore Time, notAfter Time }` element as Unix seconds.
    static func validity(_ element: DER.Element) -> (notBefore: Int64, notAfter: Int64)? {
        guard element.tag == DER.Tag.sequence else { return nil }
        var times = element.childReader()
        guard let first = try? times.next(), let second = try? times.next(), times.isAtEnd,
              let notBefore = unixSeconds(first), let notAfter = unixSeconds(second) else { return nil }
        return (notBefore, notAfter)
    }

    /// One `Time` element as Unix seconds, or nil when it is not one of the two exact forms.
    static func unixSeconds(_ element: DER.Element) -> Int64? {
        let text = element.content
        let yearDigits: Int
        switch (element.tag, text.count) {
        case (utcTime, 13): yearDigits = 2
        case (generalizedTime, 15): yearDigits = 4
        default: return nil
        }
        guard text.last == UInt8(ascii: "Z") else { return nil }
        var digits = text.dropLast()
        func take(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let byte = digits.popFirst(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard var year = take(yearDigits), let month = take(2), let day = take(2),
              let hour = take(2), let minute = take(2), let second = take(2) else { return nil }
        if yearDigits == 2 { year += year < 50 ? 2000 : 1900 }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        return daysSinceEpoch(year: year, month: month, day: day) * 86_400
            + Int64(hour * 3_600 + minute * 60 + second)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (negative before it).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        // Count from 0000-03-01 so that the leap day ends each 4-, 100- and 400-year cycle.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int64(era * 146_097 + dayOfEra - 719_468)
    }
}
