import Testing

/// Suites that run the real executables as child processes, in terminals or not. They run one
/// test at a time so that their processes, ptys and fixed ports never interfere.
@Suite(.serialized) enum ProcessTests {}
