//! What a receiving database makes of a key and of a record's signer: the trust decisions of
//! an import, kept apart from storage (which only gathers the facts and stores the outcome).

use super::roster::{KeyStanding, Person, Roster, fingerprint};
use uuid::Uuid;

/// How a key came to be trusted here (the `origin` stored with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Made on this device.
    Own,
    /// Trusted on first import, before this database held a roster.
    FirstSight,
    /// Enrolled in the office's roster.
    Roster,
    /// Taken with `--trust-new-keys`, after the user was shown who and which key.
    Trusted,
}

impl Origin {
    pub fn code(self) -> &'static str {
        match self {
            Origin::Own => "own",
            Origin::FirstSight => "imported",
            Origin::Roster => "roster",
            Origin::Trusted => "trusted",
        }
    }

    pub fn parse(code: &str) -> Option<Origin> {
        [
            Origin::Own,
            Origin::FirstSight,
            Origin::Roster,
            Origin::Trusted,
        ]
        .into_iter()
        .find(|o| o.code() == code)
    }
}

/// What the receiver knows of a key line `{inspector_id, public_key}` of a bundle.
#[derive(Debug, Clone)]
pub struct KeyFacts<'a> {
    pub inspector_id: Uuid,
    pub public_key: &'a str,
    /// The inspector as named in the bundle or here (for messages).
    pub who: &'a str,
    /// The key already recorded here for this inspector, if any.
    pub recorded: Option<&'a str>,
    /// The inspector was known here before this bundle (named in an earlier record).
    pub known_before: bool,
    /// Someone else here holds a key under the same 执法证号 (their name).
    pub same_cert_holder: Option<&'a str>,
}

/// What the user allowed for this import.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyPolicy {
    /// Refuse every key not recorded before (`--strict`).
    pub strict: bool,
    /// Take keys the roster does not know, after showing who and which key.
    pub trust_new_keys: bool,
}

/// The decision on a key line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyDecision {
    /// Recorded here already, the same key.
    Known,
    /// Record it, with how it came to be trusted.
    Record(Origin),
    Refuse(String),
}

/// Decides a key line. With a roster, only keys the office enrolled for that very laptop
/// profile are taken (or, with `--trust-new-keys`, any other, knowingly). Without one, a key
/// is trusted on first sight, except where that would bind a new key to someone already known
/// here or to a 执法证号 someone else holds a key for: those need `--trust-new-keys`.
pub fn decide_key(roster: Option<&Roster>, facts: &KeyFacts, policy: KeyPolicy) -> KeyDecision {
    let fp = fingerprint(facts.public_key);
    if let Some(recorded) = facts.recorded {
        return if recorded == facts.public_key {
            KeyDecision::Known
        } else {
            KeyDecision::Refuse(format!(
                "数据包为检查人员 {} 带来了另一把公钥（指纹 {fp}），与本机登记的不同：一个人员档案只有一把公钥，数据包可能是伪造的",
                facts.who
            ))
        };
    }
    if let Some(roster) = roster {
        return match roster.standing(facts.public_key, facts.inspector_id) {
            KeyStanding::Enrolled(_) | KeyStanding::Revoked(..) => {
                KeyDecision::Record(Origin::Roster)
            }
            KeyStanding::OtherInspector(p, _) => KeyDecision::Refuse(format!(
                "公钥（指纹 {fp}）在办公室名册中登记给 {} 的另一份人员档案，却出现在 {} 名下：数据包可能是伪造的",
                p.name, facts.who
            )),
            KeyStanding::Unknown if policy.trust_new_keys && !policy.strict => {
                KeyDecision::Record(Origin::Trusted)
            }
            KeyStanding::Unknown => KeyDecision::Refuse(format!(
                "{} 的公钥（指纹 {fp}）不在办公室名册中。请核实本人后，在办公室登记这把公钥（paicha roster key），\
                 或确认无误后用 paicha import --trust-new-keys 导入",
                facts.who
            )),
        };
    }
    if policy.strict {
        return KeyDecision::Refuse(format!(
            "{} 的公钥（指纹 {fp}）尚未在本机登记（--strict 只接受已登记公钥签名的数据包）",
            facts.who
        ));
    }
    if policy.trust_new_keys {
        return KeyDecision::Record(Origin::Trusted);
    }
    if facts.known_before {
        return KeyDecision::Refuse(format!(
            "{} 已在本机登记但没有公钥，这个数据包却为其带来了公钥（指纹 {fp}）：可能是他人冒名签字。\
             请与本人核对指纹后用 paicha import --trust-new-keys 导入",
            facts.who
        ));
    }
    if let Some(holder) = facts.same_cert_holder {
        return KeyDecision::Refuse(format!(
            "{} 的执法证号在本机已属于有公钥的 {holder}，这个数据包却带来了同一证号的另一个身份和公钥（指纹 {fp}），\
             可能是冒名。如确为本人换了电脑，请核对指纹后用 paicha import --trust-new-keys 导入",
            facts.who
        ));
    }
    KeyDecision::Record(Origin::FirstSight)
}

/// Whether the signer of a new record vouches for it here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Vouch<'a> {
    /// Good; the person the roster enrolled the key for, if any.
    Good(Option<&'a Person>),
    /// Not applied now but kept for a clerk's review (the whole bundle is held).
    Held(String),
    Refused(String),
}

impl Vouch<'_> {
    /// The verdict without borrowing the roster: the person (cloned), or why not —
    /// `Err((true, reason))` when held, `Err((false, reason))` when refused.
    pub fn owned(self) -> Result<Option<Person>, (bool, String)> {
        match self {
            Vouch::Good(p) => Ok(p.cloned()),
            Vouch::Held(reason) => Err((true, reason)),
            Vouch::Refused(reason) => Err((false, reason)),
        }
    }
}

/// Checks the signer of a new record: `public_key` signed as laptop profile `inspector`,
/// whose key recorded here is `recorded` (with its origin).
pub fn vouch<'a>(
    roster: Option<&'a Roster>,
    inspector: Uuid,
    who: &str,
    public_key: &str,
    recorded: Option<(&str, Origin)>,
    record: Uuid,
) -> Vouch<'a> {
    let Some((key, origin)) = recorded.filter(|(k, _)| *k == public_key) else {
        return Vouch::Refused(format!(
            "签名人 {who} 的公钥（指纹 {}）未登记或与登记的不同",
            fingerprint(public_key)
        ));
    };
    let Some(roster) = roster else {
        return Vouch::Good(None);
    };
    match roster.standing(key, inspector) {
        KeyStanding::Enrolled(p) => Vouch::Good(Some(p)),
        KeyStanding::Revoked(p, r) if r.accepted.contains(&record) => Vouch::Good(Some(p)),
        KeyStanding::Revoked(p, r) => Vouch::Held(format!(
            "记录由 {} 已吊销的公钥（指纹 {}，吊销于名册第 {} 条）签名，且不在吊销前办公室已收到的记录之中",
            p.name,
            fingerprint(key),
            r.seq
        )),
        KeyStanding::OtherInspector(p, _) => Vouch::Refused(format!(
            "签名公钥在名册中登记给 {} 的另一份人员档案，不能用来为 {who} 签名",
            p.name
        )),
        KeyStanding::Unknown => match origin {
            Origin::Own | Origin::Trusted => Vouch::Good(None),
            Origin::Roster => {
                Vouch::Refused(format!("{who} 的公钥已不在办公室名册中（名册可能被替换）"))
            }
            Origin::FirstSight => Vouch::Held(format!(
                "{who} 的公钥（指纹 {}）是建立名册之前按首次信任记下的，尚未在办公室名册登记：请内勤核实后登记（paicha roster key），再导入留存的数据包",
                fingerprint(key)
            )),
        },
    }
}
