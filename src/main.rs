fn main() -> std::process::ExitCode {
    docksmith::cli::main()
}
