//! The `wiredesk` binary: parse the command line, run the command, map errors to exit codes.

use std::process::ExitCode;

fn main() -> ExitCode {
    wiredesk::cli::main()
}
