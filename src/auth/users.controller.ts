import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from './authenticated.decorator';
import { CreateUserDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { Principal } from './principal';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @Authenticated()
  @ApiOkResponse({ description: 'The calling principal' })
  me(@CurrentPrincipal() principal: Principal): Omit<Principal, 'expiresAt'> {
    const { expiresAt: _, ...rest } = principal;
    return rest;
  }

  @Get()
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: [UserDto] })
  async list(): Promise<UserDto[]> {
    return (await this.users.list()).map(UserDto.of);
  }

  @Get(':id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: UserDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return UserDto.of(await this.users.get(id));
  }

  @Post()
  @Authenticated({ roles: ['admin'] })
  @ApiCreatedResponse({ type: UserDto })
  async create(@Body() dto: CreateUserDto): Promise<UserDto> {
    return UserDto.of(await this.users.create(dto));
  }

  @Patch(':id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: UserDto })
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return UserDto.of(await this.users.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.users.remove(id);
  }
}
