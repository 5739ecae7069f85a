fn main() -> std::process::ExitCode {
    paicha::cli::main()
}
