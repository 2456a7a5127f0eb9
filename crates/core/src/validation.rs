//! Input rules shared by forms in the SPA and request validation in the backend.

use crate::error::FieldErrorCode;
use crate::error::FieldErrors;

/// Longest user name or password accepted at login; longer input is refused before hashing.
pub const MAX_LOGIN_FIELD_CHARS: usize = 128;

/// Checks a login request's fields; both sides show the same messages.
pub fn validate_login(username: &str, password: &str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if username.trim().is_empty() {
        errors.push("username", FieldErrorCode::Required, "Enter your user name.");
    } else if username.chars().count() > MAX_LOGIN_FIELD_CHARS {
        errors.push("username", FieldErrorCode::TooLong, "The user name is too long.");
    }
    if password.is_empty() {
        errors.push("password", FieldErrorCode::Required, "Enter your password.");
    } else if password.chars().count() > MAX_LOGIN_FIELD_CHARS {
        errors.push("password", FieldErrorCode::TooLong, "The password is too long.");
    }
    errors
}

/// One unmet requirement of a cloud server's login password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerPasswordProblem {
    TooShort,
    TooLong,
    TooFewCharacterKinds,
    ContainsUserName,
    NotPrintableAscii,
}

impl ServerPasswordProblem {
    pub fn code(self) -> FieldErrorCode {
        match self {
            ServerPasswordProblem::TooShort => FieldErrorCode::TooShort,
            ServerPasswordProblem::TooLong => FieldErrorCode::TooLong,
            ServerPasswordProblem::TooFewCharacterKinds => FieldErrorCode::TooFewKinds,
            ServerPasswordProblem::ContainsUserName => FieldErrorCode::ContainsUserName,
            ServerPasswordProblem::NotPrintableAscii => FieldErrorCode::NotPrintableAscii,
        }
    }

    pub fn message(self) -> String {
        match self {
            ServerPasswordProblem::TooShort => format!("Use at least {SERVER_PASSWORD_MIN_CHARS} characters."),
            ServerPasswordProblem::TooLong => format!("Use at most {SERVER_PASSWORD_MAX_CHARS} characters."),
            ServerPasswordProblem::TooFewCharacterKinds => {
                "Use at least three of: upper-case letters, lower-case letters, digits, special characters.".to_owned()
            }
            ServerPasswordProblem::ContainsUserName => {
                "The password must not contain the login user name or its reverse.".to_owned()
            }
            ServerPasswordProblem::NotPrintableAscii => {
                format!("Use only letters, digits and the special characters {SERVER_PASSWORD_SPECIALS}")
            }
        }
    }
}

/// The shortest cloud server login password.
pub const SERVER_PASSWORD_MIN_CHARS: usize = 8;
/// The longest cloud server login password.
pub const SERVER_PASSWORD_MAX_CHARS: usize = 26;

/// The special characters a cloud server login password may contain.
pub const SERVER_PASSWORD_SPECIALS: &str = "!@$%^-_=+[{}]:,./?~#*";

/// Every rule a cloud server's login password breaks (empty when it is acceptable).
/// The rules mirror what cloud images accept for their administrator account.
pub fn server_password_problems(password: &str, login_user: &str) -> Vec<ServerPasswordProblem> {
    let mut problems = Vec::new();
    let length = password.chars().count();
    if length < SERVER_PASSWORD_MIN_CHARS {
        problems.push(ServerPasswordProblem::TooShort);
    }
    if length > SERVER_PASSWORD_MAX_CHARS {
        problems.push(ServerPasswordProblem::TooLong);
    }
    if password
        .chars()
        .any(|character| !(character.is_ascii_alphanumeric() || SERVER_PASSWORD_SPECIALS.contains(character)))
    {
        problems.push(ServerPasswordProblem::NotPrintableAscii);
    }
    let kinds = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| SERVER_PASSWORD_SPECIALS.contains(c)),
    ]
    .into_iter()
    .filter(|present| *present)
    .count();
    if kinds < 3 {
        problems.push(ServerPasswordProblem::TooFewCharacterKinds);
    }
    if !login_user.is_empty() {
        let lower = password.to_ascii_lowercase();
        let user = login_user.to_ascii_lowercase();
        let reversed: String = user.chars().rev().collect();
        if lower.contains(&user) || lower.contains(&reversed) {
            problems.push(ServerPasswordProblem::ContainsUserName);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_requires_both_fields() {
        let errors = validate_login("  ", "");
        let fields: Vec<_> = errors.0.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(fields, vec![("username", "required"), ("password", "required")]);
        assert!(validate_login("ana", "secret").is_empty());
        assert_eq!(validate_login(&"a".repeat(129), "x").0[0].code, "too_long");
    }

    #[test]
    fn server_password_rules() {
        assert!(server_password_problems("Sunny-Day42", "root").is_empty());
        assert_eq!(server_password_problems("Ab1!", "root"), vec![ServerPasswordProblem::TooShort]);
        assert_eq!(server_password_problems("alllowercase", "root"), vec![ServerPasswordProblem::TooFewCharacterKinds]);
        assert_eq!(server_password_problems("Xtoor-pass9", "root"), vec![ServerPasswordProblem::ContainsUserName]);
        assert!(server_password_problems("Pass word 12", "root").contains(&ServerPasswordProblem::NotPrintableAscii));
        assert!(server_password_problems(&"Aa1!".repeat(7), "root").contains(&ServerPasswordProblem::TooLong));
    }
}
