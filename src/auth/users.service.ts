import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { conflict, notFound } from '../common/app-error';
import { plainText } from '../common/plain-text';
import { Broadcaster } from '../realtime/broadcaster';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { User } from './entities/user.entity';
import { PasswordHasher } from './password-hasher';
import { AuthService } from './auth.service';

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('UsersService');

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly broadcaster: Broadcaster,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** On a database with no users, create the admin from ADMIN_EMAIL/ADMIN_PASSWORD. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const { adminEmail, adminPassword } = this.config.auth;
    await this.users
      .createQueryBuilder()
      .insert()
      .values({ email: adminEmail.toLowerCase(), name: 'Administrator', role: 'admin', passwordHash: await this.hasher.hash(adminPassword), disabled: false })
      .orIgnore()
      .execute();
    this.logger.log(`Created the bootstrap admin ${adminEmail}`);
  }

  list(): Promise<User[]> {
    return this.users.find({ order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findOne({ where: { id } });
    if (!user) throw notFound('User');
    return user;
  }

  async create(dto: CreateUserDto): Promise<User> {
    const email = dto.email.toLowerCase();
    if (await this.users.exists({ where: { email } })) throw conflict('A user with this email already exists');
    const user = this.users.create({ email, name: plainText(dto.name, 200), role: dto.role, disabled: dto.disabled ?? false, passwordHash: await this.hasher.hash(dto.password) });
    return this.users.save(user);
  }

  async update(id: string, dto: UpdateUserDto): Promise<User> {
    const user = await this.get(id);
    if (dto.email !== undefined) {
      const email = dto.email.toLowerCase();
      if (email !== user.email && (await this.users.exists({ where: { email } }))) throw conflict('A user with this email already exists');
      user.email = email;
    }
    if (dto.name !== undefined) user.name = plainText(dto.name, 200);
    // What a token or socket was admitted with no longer holds: every session ends.
    const ending = [dto.password !== undefined && 'password changed', dto.role !== undefined && dto.role !== user.role && 'role changed', dto.disabled === true && !user.disabled && 'disabled'].filter(
      (w): w is string => !!w,
    );
    if (dto.role !== undefined) user.role = dto.role;
    if (dto.password !== undefined) user.passwordHash = await this.hasher.hash(dto.password);
    if (dto.disabled !== undefined) user.disabled = dto.disabled;
    const saved = await this.users.save(user);
    if (ending.length) {
      await this.auth.endSessions(id, ending.join(', '));
      saved.tokenGeneration++;
    }
    return saved;
  }

  /** An admin's "sign out everywhere": the user signs in again on every device. */
  async signOutEverywhere(id: string): Promise<void> {
    await this.get(id);
    await this.auth.endSessions(id, 'signed out everywhere');
  }

  async remove(id: string): Promise<void> {
    const user = await this.get(id);
    await this.users.remove(user);
    this.broadcaster.publish('realtime.principal_revoked', { kind: 'user', id });
  }
}
