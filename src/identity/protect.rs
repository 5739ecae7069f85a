//! Files and folders only the current user may open: the private keys.
//!
//! Unix: mode 0700 for the folder, 0600 for the file, set at creation.
//! Windows: a mode bit protects nothing there; the folder and the file get a *protected* DACL
//! (no ACE inherited from above) with one ACE: full access for the user the process runs as.
//! The folder's ACE is inheritable, so a file created inside is private from its first byte;
//! the file then gets the same DACL explicitly, so it stays private wherever it is linked.

use std::fs;
use std::io;
use std::path::Path;

/// Creates `dir` (and its parents) and narrows it to the current user, also when it existed
/// wider (made earlier by hand or by an older paicha).
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    #[cfg(windows)]
    windows::owner_only(dir, true)?;
    Ok(())
}

/// Options that create a new file readable by its owner only (Unix: mode 0600; Windows: the
/// DACL inherited from a folder made by [`create_private_dir`]).
pub fn private_file_options() -> fs::OpenOptions {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Gives a file made with [`private_file_options`] its own owner-only DACL on Windows (its
/// mode already says so on Unix).
pub fn restrict_file(path: &Path) -> io::Result<()> {
    #[cfg(windows)]
    windows::owner_only(path, false)?;
    #[cfg(not(windows))]
    let _ = path;
    Ok(())
}

#[cfg(windows)]
pub(crate) mod windows {
    use std::io;
    use std::os::windows::ffi::OsStrExt;
    use std::path::Path;
    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
    use windows_sys::Win32::Security::Authorization::{SE_FILE_OBJECT, SetNamedSecurityInfoW};
    use windows_sys::Win32::Security::{
        ACCESS_ALLOWED_ACE, ACL, ACL_REVISION, AddAccessAllowedAceEx, CONTAINER_INHERIT_ACE,
        DACL_SECURITY_INFORMATION, GetLengthSid, GetTokenInformation, InitializeAcl,
        OBJECT_INHERIT_ACE, PROTECTED_DACL_SECURITY_INFORMATION, PSID, TOKEN_QUERY, TOKEN_USER,
        TokenUser,
    };
    use windows_sys::Win32::Storage::FileSystem::FILE_ALL_ACCESS;
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

    /// The TOKEN_USER of this process: the SID of the user it runs as.
    pub(crate) struct CurrentUser {
        // u64s: TOKEN_USER holds a pointer, so the buffer must be pointer-aligned.
        buf: Vec<u64>,
    }

    impl CurrentUser {
        pub(crate) fn get() -> io::Result<CurrentUser> {
            let mut token: HANDLE = std::ptr::null_mut();
            // SAFETY: GetCurrentProcess returns a pseudo-handle; `token` is written on success.
            if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
                return Err(io::Error::last_os_error());
            }
            let result = token_user(token);
            // SAFETY: `token` is a handle this function opened.
            unsafe { CloseHandle(token) };
            result
        }

        /// The user's SID, valid while `self` lives.
        pub(crate) fn sid(&self) -> PSID {
            // SAFETY: `buf` holds a TOKEN_USER filled by GetTokenInformation; its SID points
            // into the same buffer.
            unsafe { (*(self.buf.as_ptr() as *const TOKEN_USER)).User.Sid }
        }
    }

    fn token_user(token: HANDLE) -> io::Result<CurrentUser> {
        let mut len = 0u32;
        // SAFETY: a size query: no buffer, `len` receives the size needed.
        unsafe { GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut len) };
        if len == 0 {
            return Err(io::Error::last_os_error());
        }
        let mut buf = vec![0u64; (len as usize).div_ceil(8)];
        // SAFETY: `buf` has at least `len` bytes.
        let ok = unsafe {
            GetTokenInformation(token, TokenUser, buf.as_mut_ptr().cast(), len, &mut len)
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(CurrentUser { buf })
    }

    /// Replaces `path`'s DACL by one ACE, full access for the current user, protected from
    /// inheritance; `inherit`: the ACE also applies to what is created inside (a folder).
    pub(crate) fn owner_only(path: &Path, inherit: bool) -> io::Result<()> {
        let user = CurrentUser::get()?;
        let sid = user.sid();
        // SAFETY: `sid` is a valid SID (from the token).
        let sid_len = unsafe { GetLengthSid(sid) } as usize;
        // An ACL header, one ACCESS_ALLOWED_ACE whose SidStart field is the SID's first 4
        // bytes, then the rest of the SID; u32s: an ACL must be DWORD-aligned.
        let size = size_of::<ACL>() + size_of::<ACCESS_ALLOWED_ACE>() - size_of::<u32>() + sid_len;
        let mut acl = vec![0u32; size.div_ceil(4)];
        let acl_ptr = acl.as_mut_ptr() as *mut ACL;
        let flags = if inherit {
            OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE
        } else {
            0
        };
        // SAFETY: `acl` has `size` bytes (rounded up), enough for the header and the ACE.
        let built = unsafe {
            InitializeAcl(acl_ptr, (acl.len() * 4) as u32, ACL_REVISION) != 0
                && AddAccessAllowedAceEx(acl_ptr, ACL_REVISION, flags, FILE_ALL_ACCESS, sid) != 0
        };
        if !built {
            return Err(io::Error::last_os_error());
        }
        let wide: Vec<u16> = path.as_os_str().encode_wide().chain([0]).collect();
        // SAFETY: `wide` is NUL-terminated; owner, group and SACL are left unchanged (null).
        let status = unsafe {
            SetNamedSecurityInfoW(
                wide.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                acl_ptr,
                std::ptr::null(),
            )
        };
        match status {
            0 => Ok(()),
            code => Err(io::Error::from_raw_os_error(code as i32)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_folder_and_file_are_the_owners_only() {
        let root = tempfile::tempdir().expect("dir");
        let dir = root.path().join("a").join("keys");
        create_private_dir(&dir).expect("create");
        let file = dir.join("k.ed25519");
        std::io::Write::write_all(&mut private_file_options().open(&file).expect("open"), b"x")
            .expect("write");
        restrict_file(&file).expect("restrict");
        // Again over an existing folder: no error, still private.
        create_private_dir(&dir).expect("again");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            assert_eq!(mode(&file), 0o600);
        }
        #[cfg(windows)]
        if acl_check::on_wine() {
            return;
        }
        #[cfg(windows)]
        for (path, inherit) in [(&dir, true), (&file, false)] {
            let dacl = acl_check::read(path).expect("read DACL");
            assert!(dacl.protected, "{path:?}: no inherited ACEs");
            assert_eq!(dacl.aces.len(), 1, "{path:?}: one ACE");
            let ace = &dacl.aces[0];
            assert!(ace.allow && ace.current_user, "{path:?}: {ace:?}");
            assert!(!ace.inherited, "{path:?}: the ACE is explicit");
            assert_eq!(ace.inheritable, inherit, "{path:?}");
        }
    }

    /// The folder made private before the file: the file is private from its creation (the
    /// inherited ACE), before `restrict_file`.
    #[cfg(windows)]
    #[test]
    fn a_file_created_in_a_private_folder_inherits_the_owner_only_ace() {
        let root = tempfile::tempdir().expect("dir");
        let dir = root.path().join("keys");
        create_private_dir(&dir).expect("create");
        let file = dir.join("new");
        private_file_options().open(&file).expect("open");
        if acl_check::on_wine() {
            return;
        }
        let dacl = acl_check::read(&file).expect("read DACL");
        assert_eq!(dacl.aces.len(), 1, "{dacl:?}");
        assert!(dacl.aces[0].allow && dacl.aces[0].current_user && dacl.aces[0].inherited);
    }

    /// Reads a file's DACL back with the Windows API, to check what `protect` wrote.
    #[cfg(windows)]
    mod acl_check {
        use super::super::windows::CurrentUser;
        use std::os::windows::ffi::OsStrExt;
        use std::path::Path;
        use windows_sys::Win32::Foundation::LocalFree;
        use windows_sys::Win32::Security::Authorization::{GetNamedSecurityInfoW, SE_FILE_OBJECT};
        use windows_sys::Win32::Security::{
            ACCESS_ALLOWED_ACE, ACL, ACL_SIZE_INFORMATION, AclSizeInformation,
            DACL_SECURITY_INFORMATION, EqualSid, GetAce, GetAclInformation,
            GetSecurityDescriptorControl, INHERITED_ACE, OBJECT_INHERIT_ACE, PSECURITY_DESCRIPTOR,
            SE_DACL_PROTECTED,
        };

        #[derive(Debug)]
        pub struct Ace {
            pub allow: bool,
            pub current_user: bool,
            pub inherited: bool,
            pub inheritable: bool,
        }

        #[derive(Debug)]
        pub struct Dacl {
            pub protected: bool,
            pub aces: Vec<Ace>,
        }

        /// Wine (8) accepts the calls but keeps no DACL on files: it maps it to Unix mode
        /// bits and makes one up from them when asked, so what was written cannot be read
        /// back there. The ACL assertions run on Windows only.
        pub fn on_wine() -> bool {
            use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleA, GetProcAddress};
            // SAFETY: NUL-terminated names; ntdll is loaded in every process.
            let found = unsafe {
                let ntdll = GetModuleHandleA(c"ntdll.dll".as_ptr().cast());
                !ntdll.is_null()
                    && GetProcAddress(ntdll, c"wine_get_version".as_ptr().cast()).is_some()
            };
            if found {
                eprintln!("wine: DACL read-back skipped (wine keeps no file ACLs)");
            }
            found
        }

        pub fn read(path: &Path) -> std::io::Result<Dacl> {
            let user = CurrentUser::get()?;
            let wide: Vec<u16> = path.as_os_str().encode_wide().chain([0]).collect();
            let mut dacl: *mut ACL = std::ptr::null_mut();
            let mut sd: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
            // SAFETY: out-pointers to locals; `sd` is freed below with LocalFree.
            let status = unsafe {
                GetNamedSecurityInfoW(
                    wide.as_ptr(),
                    SE_FILE_OBJECT,
                    DACL_SECURITY_INFORMATION,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    &mut dacl,
                    std::ptr::null_mut(),
                    &mut sd,
                )
            };
            if status != 0 {
                return Err(std::io::Error::from_raw_os_error(status as i32));
            }
            let mut control = 0u16;
            let mut revision = 0u32;
            let mut info = ACL_SIZE_INFORMATION::default();
            // SAFETY: `sd` and `dacl` come from GetNamedSecurityInfoW and live until LocalFree.
            let result = unsafe {
                GetSecurityDescriptorControl(sd, &mut control, &mut revision);
                GetAclInformation(
                    dacl,
                    (&mut info as *mut ACL_SIZE_INFORMATION).cast(),
                    size_of::<ACL_SIZE_INFORMATION>() as u32,
                    AclSizeInformation,
                );
                let mut aces = Vec::new();
                for i in 0..info.AceCount {
                    let mut ace: *mut core::ffi::c_void = std::ptr::null_mut();
                    if GetAce(dacl, i, &mut ace) == 0 {
                        continue;
                    }
                    let ace = ace as *mut ACCESS_ALLOWED_ACE;
                    let flags = u32::from((*ace).Header.AceFlags);
                    let sid = (&raw mut (*ace).SidStart).cast();
                    aces.push(Ace {
                        allow: (*ace).Header.AceType == 0, // ACCESS_ALLOWED_ACE_TYPE
                        current_user: EqualSid(sid, user.sid()) != 0,
                        inherited: flags & INHERITED_ACE != 0,
                        inheritable: flags & OBJECT_INHERIT_ACE != 0,
                    });
                }
                Dacl {
                    protected: control & SE_DACL_PROTECTED != 0,
                    aces,
                }
            };
            // SAFETY: `sd` was allocated by GetNamedSecurityInfoW.
            unsafe { LocalFree(sd) };
            Ok(result)
        }
    }
}
