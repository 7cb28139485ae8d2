import { AppError } from "../errors";

/** A deactivated account, told only to someone who proved they own it (right code or password). */
export const accountDeactivated = () =>
  new AppError("account_deactivated", "This account has been deactivated. Contact the administrator if you think this is a mistake.", 403);

export const invalidCredentials = () => new AppError("invalid_credentials", "That email address and password do not match.", 401);
