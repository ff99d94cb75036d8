import ArgumentParser
import Logging

/// The process's log output: `text` (swift-log's stream format) or `json` lines, on standard error.
enum LogFormat: String, ExpressibleByArgument {
    case text, json

    /// Installs the format and `level` for every logger of the process (once, at start).
    func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            switch self {
            case .json: return JSONLogHandler(label: label, logLevel: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
