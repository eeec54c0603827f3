//! Ctrl-C while a question is on screen. The terminal's SIGINT killed docksmith
//! mid-widget: the cursor dialoguer had hidden stayed hidden and nothing said that
//! nothing was written. While a question is asked, SIGINT now shows the cursor, says
//! "cancelled, nothing written" and exits 130 (the shell's code for SIGINT); at any
//! other time it does what it always did, so a write is never cut short by surprise.

use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a question is on screen (nothing has been written then).
static ASKING: AtomicBool = AtomicBool::new(false);

/// The exit code after Ctrl-C at a question.
pub const CANCELLED: i32 = 130;

const MESSAGE: &[u8] = b"\x1b[?25h\ncancelled, nothing written\n";

#[cfg(unix)]
extern "C" fn on_interrupt(signal: libc::c_int) {
    // Only async-signal-safe calls here: write(2), _exit(2), signal(2), raise(3).
    if ASKING.load(Ordering::SeqCst) {
        // SAFETY: writing a static buffer to stderr and exiting are signal-safe.
        unsafe {
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::_exit(CANCELLED);
        }
    }
    // SAFETY: restoring the default action and re-raising is signal-safe.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

/// Installs the handler (once, for a terminal session).
pub fn install() {
    #[cfg(unix)]
    // SAFETY: the handler only makes async-signal-safe calls.
    unsafe {
        libc::signal(
            libc::SIGINT,
            on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
    }
}

/// Runs `ask` with Ctrl-C meaning "cancel"; the cursor is shown again whatever
/// `ask` returns (a widget that fails leaves it hidden too).
pub fn asking<T>(ask: impl FnOnce() -> T) -> T {
    ASKING.store(true, Ordering::SeqCst);
    let answer = ask();
    ASKING.store(false, Ordering::SeqCst);
    let _ = dialoguer::console::Term::stderr().show_cursor();
    answer
}
