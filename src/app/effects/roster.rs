//! The roster screen's effects: reading the office's roster with its history and what waits
//! for a clerk, and each change made at the office, checked against the roster first so that a
//! refusal says what is wrong in the user's words.

use super::Runner;
use crate::app::msg::{RosterData, RosterWrite};
use crate::domain::trust::Roster;
use crate::storage::StoreError;
use uuid::Uuid;

impl Runner<'_> {
    /// The roster as stored (a chain changed by hand is shown as the reason it is refused),
    /// with its history and what waits for a clerk.
    pub(super) fn roster_data(&self) -> Result<RosterData, StoreError> {
        let (roster, problem) = match self.store.roster() {
            Ok(roster) => (roster, None),
            Err(e) => (None, Some(e.to_string())),
        };
        let (entries, unenrolled) = match &roster {
            Some(r) => (
                self.store.roster_entries()?,
                self.store
                    .first_sight_keys()?
                    .into_iter()
                    .filter(|(_, _, key)| !r.keys.contains_key(key))
                    .collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        let profile_name = self.store.profile()?.map(|p| p.data.name);
        let data_dir = self
            .store
            .path()
            .parent()
            .unwrap_or(std::path::Path::new("."));
        let key_card_path = crate::paths::documents_dir(data_dir).join(format!(
            "{}-公钥.json",
            profile_name.as_deref().unwrap_or("本机")
        ));
        Ok(RosterData {
            is_office: self.store.is_office()?,
            profile_name,
            key_card_path,
            held: self.store.held_bundles()?,
            roster,
            problem,
            entries,
            unenrolled,
        })
    }

    /// Writes this laptop's public-key card (no roster needed); says where.
    pub(super) fn export_own_key(&mut self, path: &std::path::Path) -> Result<String, StoreError> {
        let card = self.store.key_card()?;
        card.write(path).map_err(StoreError::Invalid)?;
        Ok(format!(
            "已把 {} 的公钥写入 {}：用 U 盘交给办公室内勤登记（名册界面按 g）",
            card.name,
            path.display()
        ))
    }

    /// Makes one change to the roster (a new signed entry, or several at once); says what
    /// was done. Reads the person and key files afresh: the screen's copy may be old.
    pub(super) fn roster_write(&mut self, write: RosterWrite) -> Result<String, StoreError> {
        use crate::domain::trust::Body;
        use crate::domain::trust::roles::listed as labels;
        use crate::domain::trust::roster::fingerprint;
        if let RosterWrite::Init { office_name, roles } = &write {
            let roster = self.store.office_init(office_name, roles)?;
            return Ok(format!(
                "已建立“{}”的人员名册。请把锚定公钥指纹 {} 抄给各位检查人员：他们第一次导入台账数据包时要核对",
                roster.office_name,
                roster.fingerprint()
            ));
        }
        let Some(roster) = self.store.roster()? else {
            return Err(StoreError::Invalid(
                "还没有办公室名册：在办公室按 i 建立".into(),
            ));
        };
        let person = |id: &Uuid| {
            roster
                .people
                .get(id)
                .cloned()
                .ok_or_else(|| StoreError::NotFound("名册中的这个人".into()))
        };
        match write {
            RosterWrite::Init { .. } => Err(StoreError::Invalid("名册已经建立".into())),
            RosterWrite::AddPerson {
                name,
                cert_no,
                group_code,
                roles,
                key_file,
            } => {
                let name = name.trim().to_string();
                if name.is_empty() {
                    return Err(StoreError::Invalid("姓名不能为空".into()));
                }
                let cert_no = cert_no.trim().to_string();
                taken_cert(&roster, None, &cert_no)?;
                let person_id = crate::storage::new_person_id();
                let mut bodies = vec![Body::Person {
                    person_id,
                    name: name.clone(),
                    cert_no,
                    group_code,
                    roles: roles.clone(),
                    active: true,
                }];
                let mut key_note = String::new();
                if let Some(path) = key_file {
                    let (body, note) =
                        Body::key_from_file(person_id, read_key(&roster, person_id, &path)?);
                    bodies.push(body);
                    key_note = note;
                }
                self.store.roster_append(bodies)?;
                Ok(format!("已登记 {name}（{}）{key_note}", labels(&roles)))
            }
            RosterWrite::SetRoles { person: id, roles } => {
                let p = person(&id)?;
                if !p.active {
                    taken_cert(&roster, Some(id), &p.cert_no)?;
                }
                self.store
                    .roster_append(vec![p.restated(roles.clone(), true)])?;
                Ok(format!("{} 的角色改为：{}", p.name, labels(&roles)))
            }
            RosterWrite::AddKey {
                person: id,
                key_file,
            } => {
                let p = person(&id)?;
                let file = read_key(&roster, p.id, &key_file)?;
                self.store.roster_append(vec![Body::Key {
                    person_id: p.id,
                    inspector_id: file.inspector_id,
                    public_key: file.public_key.clone(),
                }])?;
                Ok(format!(
                    "已为 {} 登记公钥，指纹 {}",
                    p.name,
                    fingerprint(&file.public_key)
                ))
            }
            RosterWrite::Leave { person: id } => {
                let p = person(&id)?;
                self.store
                    .roster_append(vec![p.restated(p.roles.clone(), false)])?;
                Ok(format!(
                    "{} 已停用，不再有任何角色。如其电脑丢失，另请吊销其公钥",
                    p.name
                ))
            }
            RosterWrite::Revoke { public_key } => {
                // Everything the office holds from this key stays good everywhere.
                let accepted = self.store.records_signed_by(&public_key)?;
                let count = accepted.len();
                self.store.roster_append(vec![Body::Revoke {
                    public_key: public_key.clone(),
                    accepted,
                }])?;
                Ok(format!(
                    "已吊销公钥 {}。此前已收到它签名的 {count} 条记录仍然有效；此后带来它新签名记录的数据包将留待复核",
                    fingerprint(&public_key)
                ))
            }
        }
    }
}

/// Refuses a 执法证号 an active person other than `except` already holds (said plainly, before
/// the roster would refuse the entry).
fn taken_cert(roster: &Roster, except: Option<Uuid>, cert_no: &str) -> Result<(), StoreError> {
    match roster
        .people
        .values()
        .find(|p| Some(p.id) != except && p.active && !cert_no.is_empty() && p.cert_no == cert_no)
    {
        Some(other) => Err(StoreError::Invalid(format!(
            "执法证号 {cert_no} 已属于 {}",
            other.name
        ))),
        None => Ok(()),
    }
}

/// Reads a key file for `person`, refusing plainly a key or a laptop profile already enrolled
/// for someone.
fn read_key(
    roster: &Roster,
    person: Uuid,
    path: &std::path::Path,
) -> Result<crate::identity::key_file::KeyFile, StoreError> {
    let file =
        crate::identity::key_file::read(path).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let owner = |id: &Uuid| {
        roster
            .people
            .get(id)
            .map_or_else(|| "另一个人".to_string(), |p| p.name.clone())
    };
    if let Some(k) = roster.keys.get(&file.public_key) {
        return Err(StoreError::Invalid(format!(
            "这把公钥已经登记给 {}{}",
            owner(&k.person_id),
            if k.revoked.is_some() {
                "（已吊销，不能再登记）"
            } else {
                ""
            }
        )));
    }
    if let Some(k) = roster
        .keys
        .values()
        .find(|k| k.inspector_id == file.inspector_id && k.person_id != person)
    {
        return Err(StoreError::Invalid(format!(
            "这个公钥文件来自 {} 的电脑上的人员档案，而该档案已登记给 {}",
            if file.name.is_empty() {
                "未具名"
            } else {
                file.name.as_str()
            },
            owner(&k.person_id)
        )));
    }
    Ok(file)
}
