/**
 * Typed errors. A handler throws one of these; the router turns it into the envelope's error body.
 * Messages are Simplified Chinese for people; codes are stable for programs.
 */
import type { ErrorBody, ErrorCode } from '../../miniprogram/core/envelope';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(requestId: string): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message, requestId }
      : { code: this.code, message: this.message, details: this.details, requestId };
  }
}

export interface InputIssue {
  path: string;
  message: string;
}

export class InvalidInputError extends AppError {
  constructor(issues: InputIssue[], message = '提交的内容不正确，请检查后重试') {
    super('INVALID_INPUT', message, { issues });
  }
}

export class UnknownActionError extends AppError {
  constructor(action: unknown) {
    super('UNKNOWN_ACTION', '不支持的操作', { action: typeof action === 'string' ? action : null });
  }
}

export class UnauthenticatedError extends AppError {
  constructor() {
    super('UNAUTHENTICATED', '未能识别您的微信身份，请重新打开小程序');
  }
}

export class ForbiddenError extends AppError {
  constructor(message = '您没有执行此操作的权限', details?: Record<string, unknown>) {
    super('FORBIDDEN', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message = '找不到相关记录', details?: Record<string, unknown>) {
    super('NOT_FOUND', message, details);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('CONFLICT', message, details);
  }
}

/** A business rule said no: `reason` is a stable sub-code (e.g. `SUSPENDED`, `INSUFFICIENT_POINTS`). */
export class RefusedError extends AppError {
  constructor(reason: string, message: string, details?: Record<string, unknown>) {
    super('REFUSED', message, { reason, ...details });
  }
}

export class InternalError extends AppError {
  constructor() {
    super('INTERNAL', '系统繁忙，请稍后再试');
  }
}
